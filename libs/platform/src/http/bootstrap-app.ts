import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { DrainState } from '../health/drain-state';

/** Creates a Nest app with pino logging, listens, and stops cleanly on SIGTERM/SIGINT. */
export async function bootstrapApp(module: DynamicModule, host: string, port: number): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.listen(port, host);
  exitCleanlyOnSignals(app);
  return app;
}

/**
 * Nest's own shutdown hooks re-raise the signal after closing, so the process
 * ends with 143; PROTOCOL section 4 wants exit 0 after a clean stop. Readiness
 * turns 503 first, so load balancers stop sending new connections.
 */
function exitCleanlyOnSignals(app: INestApplication): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(DrainState).startDraining();
    app.get(Logger).log(`${signal} received: shutting down`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.get(Logger).error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

import { DynamicModule, INestApplication, WebSocketAdapter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { DrainState } from '../health/drain-state';
import { QuietBootLogger } from '../logging/quiet-boot-logger';
import { assertRedisReachable } from '../redis/assert-redis-reachable';

/** What an app adds to the HTTP server: its WebSocket adapter, and the microservice transports it listens on. */
export interface AppBootstrapOptions {
  /** Checked before anything else starts, so an unreachable Redis is named as such. */
  readonly redisUrl?: string;
  /** What the start-up line says after the URL: node id, Redis target, store. */
  readonly summary?: string;
  readonly webSocketAdapter?: (app: INestApplication) => WebSocketAdapter;
  readonly microservices?: (app: INestApplication) => MicroserviceOptions[];
}

/**
 * Creates a Nest app with pino logging (a hybrid app when it listens on microservice
 * transports too), listens, and stops cleanly on SIGTERM/SIGINT.
 */
export async function bootstrapApp(module: DynamicModule, host: string, port: number, options: AppBootstrapOptions = {}): Promise<INestApplication> {
  if (options.redisUrl) await assertRedisReachable(options.redisUrl);
  const app = await NestFactory.create(module, { bufferLogs: true });
  const logger = new QuietBootLogger(app.get(Logger));
  app.useLogger(logger);
  if (options.webSocketAdapter) app.useWebSocketAdapter(options.webSocketAdapter(app));
  for (const microservice of options.microservices?.(app) ?? []) app.connectMicroservice(microservice, { inheritAppConfig: true });
  // the transports listen before the HTTP port opens, so a ready app already answers them
  await app.startAllMicroservices();
  await app.listen(port, host);
  logger.log(`listening on http://${host.includes(':') ? `[${host}]` : host}:${port}${options.summary ? `; ${options.summary}` : ''}`, 'Bootstrap');
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

import { STATUS_CODES } from 'node:http';
import { DynamicModule, INestApplication, WebSocketAdapter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, raw, urlencoded, type NextFunction, type Request, type Response } from 'express';
import { Logger } from 'nestjs-pino';
import { DrainState } from '../health/drain-state';
import { QuietBootLogger } from '../logging/quiet-boot-logger';
import { assertRedisReachable } from '../redis/assert-redis-reachable';
import type { RedisConnectionConfig } from '../redis/redis-connection-config';

/** What an app adds to the HTTP server: its WebSocket adapter, and the microservice transports it listens on. */
export interface AppBootstrapOptions {
  /** Checked before anything else starts, so an unreachable Redis is named as such. */
  readonly redis?: RedisConnectionConfig;
  /** What the start-up line says after the URL: node id, Redis target, store. */
  readonly summary?: string;
  readonly webSocketAdapter?: (app: INestApplication) => WebSocketAdapter;
  readonly microservices?: (app: INestApplication) => MicroserviceOptions[];
  /** Request body bounds in place of Nest's default parsers (100 kB, no checks). */
  readonly jsonBody?: JsonBodyOptions;
  /** Runs after the app has closed on SIGTERM/SIGINT, before the process exits: e.g. the last spans exported. */
  readonly afterClose?: () => Promise<void>;
}

/** How request bodies are read when `AppBootstrapOptions.jsonBody` is set. */
export interface JsonBodyOptions {
  /** Larger bodies get 413 before they are parsed. */
  readonly limitBytes: number;
  /** Looks at a JSON body's raw bytes before it is parsed; a string refuses it with 400 and that message. */
  readonly check?: (raw: Buffer) => string | null;
}

/**
 * Creates a Nest app with pino logging (a hybrid app when it listens on microservice
 * transports too), listens, and stops cleanly on SIGTERM/SIGINT.
 */
export async function bootstrapApp(module: DynamicModule, host: string, port: number, options: AppBootstrapOptions = {}): Promise<INestApplication> {
  if (options.redis) await assertRedisReachable(options.redis);
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: !options.jsonBody });
  const logger = new QuietBootLogger(app.get(Logger));
  app.useLogger(logger);
  if (options.jsonBody) useBoundedBodyParsers(app, options.jsonBody);
  if (options.webSocketAdapter) app.useWebSocketAdapter(options.webSocketAdapter(app));
  for (const microservice of options.microservices?.(app) ?? []) app.connectMicroservice(microservice, { inheritAppConfig: true });
  // the transports listen before the HTTP port opens, so a ready app already answers them
  await app.startAllMicroservices();
  await app.listen(port, host);
  logger.log(`listening on http://${host.includes(':') ? `[${host}]` : host}:${port}${options.summary ? `; ${options.summary}` : ''}`, 'Bootstrap');
  exitCleanlyOnSignals(app, options.afterClose);
  return app;
}

/**
 * JSON and form bodies up to `limitBytes`, a JSON body checked on its raw bytes before it is
 * parsed (so nothing recurses over a hostile body), any other body bounded the same way, and
 * the parsers' refusals answered in the HTTP error shape `{statusCode, message, error}`
 * (PROTOCOL section 3, "Limits": a request body over 1 MiB gets 413, whatever its type).
 */
function useBoundedBodyParsers(app: NestExpressApplication, { limitBytes, check }: JsonBodyOptions): void {
  const verify = (_req: unknown, _res: unknown, raw: Buffer) => {
    const refusal = check?.(raw);
    // body-parser answers a verify error with the error's own status
    if (refusal) throw Object.assign(new Error(refusal), { status: 400, type: 'entity.verify.failed' });
  };
  // express's own parsers: Nest's useBodyParser() types leave out the verify hook
  app.use(json({ limit: limitBytes, verify }));
  app.use(urlencoded({ limit: limitBytes, extended: true }));
  // a body of any other type is read only to hold it to the limit, and then left out as
  // before: no handler takes one (a chunked body has no length to refuse it by up front)
  app.use(raw({ type: () => true, limit: limitBytes }));
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (Buffer.isBuffer(req.body)) req.body = undefined;
    next();
  });
  app.use((error: { status?: number; type?: string; message?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (typeof error?.status !== 'number' || typeof error.type !== 'string' || error.status < 400 || error.status >= 500) return next(error);
    const message = error.status === 413 ? `request body must be at most ${limitBytes} bytes` : (error.message ?? 'invalid request body');
    res.status(error.status).json({ statusCode: error.status, message, error: STATUS_CODES[error.status] ?? 'Bad Request' });
  });
}

/**
 * Nest's own shutdown hooks re-raise the signal after closing, so the process
 * ends with 143; PROTOCOL section 4 wants exit 0 after a clean stop. Readiness
 * turns 503 first, so load balancers stop sending new connections.
 */
function exitCleanlyOnSignals(app: INestApplication, afterClose: (() => Promise<void>) | undefined): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(DrainState).startDraining();
    app.get(Logger).log(`${signal} received: shutting down`);
    app
      .close()
      .then(() => afterClose?.().catch((error: unknown) => app.get(Logger).warn(`after shutdown: ${String(error)}`)))
      .then(
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

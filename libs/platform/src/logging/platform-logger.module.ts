import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LogFormat, LogLevel } from '../env/common-env';
import { requestLogFields } from './request-log-fields';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface PlatformLoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly app: string;
  readonly nodeId: string;
  /**
   * Whether HTTP requests are logged, each with a logger bound to it for the logs written while
   * it is served (nestjs-pino's request context). Default true. Off, the app writes no access log.
   *
   * That context lives in an AsyncLocalStorage, and on Node 20 the first `run()` turns async
   * hooks on for the rest of the process (one HTTP request is enough, even a probe): every
   * Promise then gets three symbol properties and an init hook. On the gateway's cross-node
   * path, where each publish settles a few Promises, that made the old generation fill four to
   * five times as fast, and full collections are part of the two-node latency tail (docs/benchmarks.md,
   * the async hooks entry). The gateway serves only probes, /metrics (neither ever
   * logged) and its connectivity page over HTTP, so it turns the context off.
   */
  readonly requestContext?: boolean;
}

/**
 * pino logging for every app: JSON lines (or, for a person at a terminal, pino-pretty's
 * coloured lines), secrets redacted, probes and scrapes not logged.
 */
@Module({})
export class PlatformLoggerModule {
  static forRoot(options: PlatformLoggerOptions): DynamicModule {
    return {
      module: PlatformLoggerModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.level,
            base: { app: options.app, node: options.nodeId },
            ...(options.format === 'pretty'
              ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app,node,context', messageFormat: '{if context}{context}: {end}{msg}' } } }
              : {}),
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["sec-websocket-key"]'],
              censor: '[redacted]',
            },
            // query strings may carry tokens (`?token=`): log the path only
            serializers: { req: requestLogFields },
            autoLogging: { ignore: (req) => QUIET_PATHS.has(requestLogFields(req).path) },
          },
          // no route: neither the request logger nor its AsyncLocalStorage context is mounted
          ...(options.requestContext === false ? { forRoutes: [] } : {}),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LogLevel } from '../env/common-env';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** pino logging for every app: JSON lines, secrets redacted, probes and scrapes not logged. */
@Module({})
export class PlatformLoggerModule {
  static forRoot(options: { level: LogLevel; app: string; nodeId: string }): DynamicModule {
    return {
      module: PlatformLoggerModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.level,
            base: { app: options.app, node: options.nodeId },
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["sec-websocket-key"]'],
              censor: '[redacted]',
            },
            // query strings may carry tokens (`?token=`): log the path only
            serializers: {
              req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
            },
            autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

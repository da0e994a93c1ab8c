import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LogLevel } from '../env/common-env';
import { requestLogFields } from './request-log-fields';

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
            serializers: { req: requestLogFields },
            autoLogging: { ignore: (req) => QUIET_PATHS.has(requestLogFields(req).path) },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

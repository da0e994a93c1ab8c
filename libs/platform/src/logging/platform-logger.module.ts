import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LogFormat, LogLevel } from '../env/common-env';
import { requestLogFields } from './request-log-fields';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * pino logging for every app: JSON lines (or, for a person at a terminal, pino-pretty's
 * coloured lines), secrets redacted, probes and scrapes not logged.
 */
@Module({})
export class PlatformLoggerModule {
  static forRoot(options: { level: LogLevel; format: LogFormat; app: string; nodeId: string }): DynamicModule {
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
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

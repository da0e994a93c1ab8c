import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

/** Creates a Nest app with pino logging and shutdown hooks, and listens. */
export async function bootstrapApp(module: DynamicModule, host: string, port: number): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(port, host);
  return app;
}

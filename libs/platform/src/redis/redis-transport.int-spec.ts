import { inspect } from 'node:util';
import { Logger, LoggerService } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { startRedisServer, ThrowawayRedis } from '@sg/testing';
import { firstValueFrom, timeout } from 'rxjs';
import { RedisTransportClient, RedisTransportServer } from './redis-transport';
import { redisTransportOptions, redisTransportServer } from './redis-transport-options';

const PASSWORD = 'single-secret-5e0c2a';
const WRONG_PASSWORD = 'not-the-secret-81fd07';

class RecordingLogger implements LoggerService {
  readonly calls: unknown[][] = [];
  log = (...args: unknown[]) => void this.calls.push(args);
  error = (...args: unknown[]) => void this.calls.push(args);
  warn = (...args: unknown[]) => void this.calls.push(args);
  debug = (...args: unknown[]) => void this.calls.push(args);
  verbose = (...args: unknown[]) => void this.calls.push(args);
}

function everything(value: unknown): string {
  return inspect(value, { depth: 10, showHidden: true });
}

// REDIS_URL with a password: Nest's transport on one Redis authenticates, and never logs the password
describe("Nest's Redis transport on one Redis that requires a password", () => {
  let redis: ThrowawayRedis;

  beforeAll(async () => {
    redis = await startRedisServer({ password: PASSWORD });
  });

  afterAll(() => redis.stop());

  it('carries requests with the password REDIS_URL gives', async () => {
    const serverOptions = redisTransportServer(redis.url) as { strategy: RedisTransportServer };
    const clientOptions = redisTransportOptions(redis.url) as { customClass: new (options: unknown) => ClientProxy; options: unknown };
    expect(serverOptions.strategy).toBeInstanceOf(RedisTransportServer);
    expect(clientOptions.customClass).toBe(RedisTransportClient);
    const server = serverOptions.strategy;
    server.addHandler('double', async (value: number) => value * 2, false);
    await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));
    const client = new clientOptions.customClass(clientOptions.options);
    try {
      await client.connect();
      expect(await firstValueFrom(client.send<number>('double', 21).pipe(timeout(5_000)))).toBe(42);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('logs a refused password as WRONGPASS without the password', async () => {
    const logger = new RecordingLogger();
    Logger.overrideLogger(logger);
    const wrongUrl = redis.url.replace(encodeURIComponent(PASSWORD), WRONG_PASSWORD);
    const { strategy: server } = redisTransportServer(wrongUrl) as { strategy: RedisTransportServer };
    try {
      // refused: listening fails, which is not what this test looks at
      Promise.resolve(server.listen(() => undefined)).catch(() => undefined);
      const deadline = Date.now() + 10_000;
      while (!logger.calls.some((args) => /WRONGPASS/.test(everything(args)))) {
        if (Date.now() > deadline) throw new Error(`no WRONGPASS logged within 10 s: ${everything(logger.calls)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(everything(logger.calls)).not.toContain(WRONG_PASSWORD);
    } finally {
      await Promise.resolve(server.close()).catch(() => undefined);
      Logger.overrideLogger(true);
    }
  });
});

import type { ClientRedis } from '@nestjs/microservices';
import { startRedisServer, ThrowawayRedis } from '@sg/testing';
import { RedisTransportClient, RedisTransportServer } from './redis-transport';
import { redisTransportOptions, redisTransportServer } from './redis-transport-options';
import { logsOfRefusedServer, requestThrough } from './transport-test-kit';

const PASSWORD = 'single-secret-5e0c2a';
const WRONG_PASSWORD = 'not-the-secret-81fd07';

// REDIS_URL with a password: Nest's transport on one Redis authenticates, and never logs the password
describe("Nest's Redis transport on one Redis that requires a password", () => {
  let redis: ThrowawayRedis;

  beforeAll(async () => {
    redis = await startRedisServer({ password: PASSWORD });
  });

  afterAll(() => redis.stop());

  it('carries requests with the password REDIS_URL gives', async () => {
    const serverOptions = redisTransportServer(redis.url) as { strategy: RedisTransportServer };
    const clientOptions = redisTransportOptions(redis.url) as { customClass: new (options: unknown) => ClientRedis; options: unknown };
    expect(serverOptions.strategy).toBeInstanceOf(RedisTransportServer);
    expect(clientOptions.customClass).toBe(RedisTransportClient);
    expect(await requestThrough(serverOptions.strategy, new clientOptions.customClass(clientOptions.options))).toBe(42);
  });

  it('logs a refused password as WRONGPASS without the password', async () => {
    const wrongUrl = redis.url.replace(encodeURIComponent(PASSWORD), WRONG_PASSWORD);
    const { strategy: server } = redisTransportServer(wrongUrl) as { strategy: RedisTransportServer };
    expect(await logsOfRefusedServer(server, /WRONGPASS/)).not.toContain(WRONG_PASSWORD);
  });
});

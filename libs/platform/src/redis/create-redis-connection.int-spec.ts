import { createServer, Server } from 'node:net';
import { startRedisServer, ThrowawayRedis } from '@sg/testing';
import type Redis from 'ioredis';
import { createRedisConnection } from './create-redis-connection';

function once(redis: Redis, event: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    redis.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Listens where Redis was and counts the connection attempts it gets, closing each. */
function countConnections(port: number): Promise<{ server: Server; count: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, count: () => count })));
}

describe(createRedisConnection.name, () => {
  let redis: ThrowawayRedis;
  let connection: Redis;

  beforeEach(async () => {
    redis = await startRedisServer();
  });

  afterEach(async () => {
    connection?.disconnect();
    await redis.stop();
  });

  it('lets commands issued while it starts wait for the first connection', async () => {
    connection = createRedisConnection(redis.url, 'starting');
    expect(await connection.ping()).toBe('PONG');
  });

  it('gives a duplicate made after connecting the same start-up patience', async () => {
    connection = createRedisConnection(redis.url, 'original');
    await connection.ping();
    const copy = connection.duplicate();
    try {
      expect(await copy.ping()).toBe('PONG');
    } finally {
      copy.disconnect();
    }
  });

  it('fails commands at once while Redis is away, spaces reconnects, and recovers by itself', async () => {
    connection = createRedisConnection(redis.url, 'outage');
    await connection.ping();
    const closed = once(connection, 'close');
    await redis.stop();
    await closed;

    // the breaker is open: nothing waits in the offline queue
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 10_000 }, (_, i) => connection.set(`k${i}`, 'v')));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(results.every((result) => result.status === 'rejected')).toBe(true);

    // reconnect attempts: at most one per second (jittered 1-2 s once the backoff is at its cap)
    const listener = await countConnections(redis.port);
    await new Promise((r) => setTimeout(r, 6_000));
    const attempts = listener.count();
    await new Promise<void>((resolve) => listener.server.close(() => resolve()));
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(7);

    const ready = once(connection, 'ready');
    redis = await startRedisServer({ port: redis.port });
    await ready;
    expect(await connection.set('after', 'v')).toBe('OK');
  }, 30_000);
});

import { createServer, Server } from 'node:net';
import { startRedisServer, ThrowawayRedis } from '@sg/testing';
import type Redis from 'ioredis';
import { createRedisConnection } from './create-redis-connection';
import { REDIS_RECONNECT_MAX_DELAY_MS } from './redis-retry-strategy';

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
    // ioredis announces each reconnect with the wait it scheduled before it
    const waits: number[] = [];
    connection.on('reconnecting', (ms: number) => waits.push(ms));
    const closed = once(connection, 'close');
    await redis.stop();
    await closed;

    // the breaker is open: nothing waits in the offline queue (10,000 commands fail in
    // well under the 1 s a single reconnect wait could reach, loaded machine included)
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 10_000 }, (_, i) => connection.set(`k${i}`, 'v')));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(results.every((result) => result.status === 'rejected')).toBe(true);

    // no connect storm: every attempt comes after the wait the backoff promises, doubling
    // from 50-100 ms to 1-2 s and staying there; a slow machine only makes the waits longer
    const listener = await countConnections(redis.port);
    await new Promise((r) => setTimeout(r, 6_000));
    const attempts = listener.count();
    await new Promise<void>((resolve) => listener.server.close(() => resolve()));
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(waits.length).toBeGreaterThanOrEqual(attempts);
    waits.forEach((ms, i) => {
      const ceiling = Math.min(100 * 2 ** i, REDIS_RECONNECT_MAX_DELAY_MS);
      expect({ attempt: i + 1, ms, atLeast: ms >= ceiling / 2, atMost: ms <= ceiling }).toEqual({ attempt: i + 1, ms, atLeast: true, atMost: true });
    });
    // and the attempts the listener saw fit in its 6 s at those waits: at most one a second after the first few
    const shortWaitsBudget = waits.filter((ms) => ms < 1_000).length;
    expect(attempts).toBeLessThanOrEqual(shortWaitsBudget + 6 + 1);

    const ready = once(connection, 'ready');
    redis = await startRedisServer({ port: redis.port });
    await ready;
    expect(await connection.set('after', 'v')).toBe('OK');
  }, 30_000);
});

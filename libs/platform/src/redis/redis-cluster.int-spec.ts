import { HealthIndicatorService } from '@nestjs/terminus';
import { startRedisCluster, ThrowawayRedisCluster } from '@sg/testing';
import type { Cluster } from 'ioredis';
import { firstValueFrom, timeout } from 'rxjs';
import { RedisHealthIndicator } from '../health/redis.health';
import { assertRedisReachable } from './assert-redis-reachable';
import { createRedisConnection } from './create-redis-connection';
import { RedisClusterTransportClient, RedisClusterTransportServer } from './redis-cluster-transport';
import { parseClusterNodes, RedisConnectionConfig } from './redis-connection-config';

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch((error: unknown) => error as T);
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not as expected within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// PROTOCOL section 4: REDIS_CLUSTER_NODES switches every app to the cluster
describe('Redis connections on a Redis Cluster', () => {
  let cluster: ThrowawayRedisCluster;
  let config: RedisConnectionConfig;
  let commands: Cluster;
  let subscriber: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    config = { mode: 'cluster', nodes: parseClusterNodes(cluster.seeds) ?? [] };
    commands = createRedisConnection(config, 'test') as Cluster;
    subscriber = createRedisConnection(config, 'test-sub', { subscriber: true }) as Cluster;
  }, 60_000);

  afterAll(async () => {
    commands?.disconnect();
    subscriber?.disconnect();
    await cluster?.stop();
  });

  it('is a Cluster client that reaches keys of every slot, commands issued while it starts included', async () => {
    expect(commands.isCluster).toBe(true);
    const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
    await Promise.all(keys.map((key, i) => commands.set(key, String(i))));
    expect(await Promise.all(keys.map((key) => commands.get(key)))).toEqual(keys.map((_, i) => String(i)));
  });

  it('delivers sharded pub/sub (SSUBSCRIBE on the shard of the channel), and SPUBLISH counts the subscriber', async () => {
    const received: string[] = [];
    subscriber.on('smessage', (channel: string, message: string) => received.push(`${channel} ${message}`));
    await subscriber.ssubscribe('bus:{node-a}');
    await subscriber.ssubscribe('bus:{node-b}');
    expect(await commands.spublish('bus:{node-a}', 'one')).toBe(1);
    expect(await commands.spublish('bus:{node-b}', 'two')).toBe(1);
    expect(await commands.spublish('bus:{nobody}', 'lost')).toBe(0);
    await eventually(async () => received, (got) => got.length === 2, 5_000);
    expect(received.sort()).toEqual(['bus:{node-a} one', 'bus:{node-b} two']);
  });

  it('carries Nest transport requests and replies between a client and a server on the cluster', async () => {
    const options = { nodes: config.mode === 'cluster' ? config.nodes : [], retryAttempts: 10, retryDelay: 200 };
    const server = new RedisClusterTransportServer(options);
    const events: unknown[] = [];
    server.addHandler('double', async (value: number) => value * 2, false);
    server.addHandler('noted', async (value: unknown) => void events.push(value), true);
    await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));
    const client = new RedisClusterTransportClient(options);
    try {
      await client.connect();
      expect(await firstValueFrom(client.send<number>('double', 21).pipe(timeout(5_000)))).toBe(42);
      await firstValueFrom(client.emit('noted', { n: 1 }), { defaultValue: undefined });
      await eventually(async () => events, (got) => got.length === 1, 5_000);
      expect(events).toEqual([{ n: 1 }]);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('checks at start-up that the cluster answers, and names REDIS_CLUSTER_NODES when it does not', async () => {
    await expect(assertRedisReachable(config)).resolves.toBeUndefined();
    await expect(assertRedisReachable({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }] }, 1_000)).rejects.toThrow(
      /cannot reach the Redis Cluster at cluster 127\.0\.0\.1:1 \(REDIS_CLUSTER_NODES\)/,
    );
  });

  it('is ready with cluster_state:ok and every slot served; a master killed makes it unready until its replica is promoted', async () => {
    const health = new RedisHealthIndicator(new HealthIndicatorService(), commands);
    expect(await health.isHealthy('redis')).toEqual({ redis: { status: 'up', cluster_state: 'ok', slots_ok: 16_384, masters: 3 } });

    await commands.set('failover-key', 'kept');
    await commands.call('WAIT', '1', '2000');
    const master = await cluster.masterOf('failover-key');
    await cluster.kill(master);
    const down = await eventually(() => health.isHealthy('redis'), (result) => result.redis.status === 'down', 10_000);
    expect(String((down.redis as Record<string, unknown>)['message'])).toMatch(/master 127\.0\.0\.1:\d+|cluster_state:fail|of 16384 slots served/);

    // ready again once the replica has taken over (the node timeout, then the election)
    const promoted = Date.now();
    await cluster.waitUntilHealthy(30_000);
    const up = await eventually(() => health.isHealthy('redis'), (result) => result.redis.status === 'up', 10_000);
    expect(up.redis).toMatchObject({ cluster_state: 'ok', slots_ok: 16_384, masters: 3 });
    expect(Date.now() - promoted).toBeLessThan(10_000);
    expect(await commands.get('failover-key')).toBe('kept');
  }, 60_000);
});

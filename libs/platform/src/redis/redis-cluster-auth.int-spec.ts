import { HealthIndicatorService } from '@nestjs/terminus';
import { startRedisCluster, ThrowawayRedisCluster } from '@sg/testing';
import Redis, { Cluster } from 'ioredis';
import { CommonConfig } from '../env/common-config';
import { CommonEnv } from '../env/common-env';
import { validateEnv } from '../env/validate-env';
import { RedisHealthIndicator } from '../health/redis.health';
import { assertRedisReachable } from './assert-redis-reachable';
import { createRedisConnection } from './create-redis-connection';
import { RedisClusterTransportClient, RedisClusterTransportServer } from './redis-cluster-transport';
import type { RedisClusterCredentials, RedisConnectionConfig } from './redis-connection-config';
import { everything, logsOfRefusedServer, requestThrough } from './transport-test-kit';

const PASSWORD = 'cluster-secret-7d41c9';
const WRONG_PASSWORD = 'not-the-secret-93b2e0';
const ACL_USER = 'sg-app';
const ACL_PASSWORD = 'acl-secret-2f86aa';

type ClusterConfig = Extract<RedisConnectionConfig, { mode: 'cluster' }>;

function nextEvent<T>(emitter: Cluster, event: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

// REDIS_CLUSTER_USERNAME / REDIS_CLUSTER_PASSWORD: every connection to the cluster's nodes authenticates
describe('Redis connections on a Redis Cluster that requires a password', () => {
  let cluster: ThrowawayRedisCluster;
  let config: ClusterConfig;
  const opened: Cluster[] = [];

  function connect(credentials: RedisClusterCredentials | undefined, options: { subscriber?: boolean } = {}): Cluster {
    const connection = createRedisConnection({ ...config, credentials }, 'auth-test', options) as Cluster;
    opened.push(connection);
    return connection;
  }

  beforeAll(async () => {
    cluster = await startRedisCluster({ password: PASSWORD });
    // the path an app takes: its variables, validated, mapped to the typed config
    const env = validateEnv(CommonEnv, { REDIS_CLUSTER_NODES: cluster.seeds, REDIS_CLUSTER_PASSWORD: PASSWORD });
    config = new CommonConfig(env).redis as ClusterConfig;
    // ACL users are per node: the same user on each, as an operator's ACL file would give it
    await Promise.all(
      cluster.nodes.map(async (node) => {
        const admin = new Redis({ host: '127.0.0.1', port: node.port, password: PASSWORD, lazyConnect: true });
        await admin.connect();
        await admin.call('ACL', 'SETUSER', ACL_USER, 'on', `>${ACL_PASSWORD}`, '~*', '&*', '+@all');
        admin.disconnect();
      }),
    );
  }, 60_000);

  afterAll(async () => {
    for (const connection of opened) connection.disconnect();
    await cluster?.stop();
  });

  it('runs commands on keys of every slot and sharded pub/sub with REDIS_CLUSTER_PASSWORD', async () => {
    expect(config.credentials).toEqual({ password: PASSWORD });
    const commands = connect(config.credentials);
    const subscriber = connect(config.credentials, { subscriber: true });
    const keys = Array.from({ length: 60 }, (_, i) => `auth-key-${i}`);
    await Promise.all(keys.map((key, i) => commands.set(key, String(i))));
    expect(await Promise.all(keys.map((key) => commands.get(key)))).toEqual(keys.map((_, i) => String(i)));
    expect(new Set(await Promise.all(keys.slice(0, 30).map((key) => cluster.masterOf(key)))).size).toBe(3);

    const received = nextEvent<string>(subscriber, 'smessage');
    await subscriber.ssubscribe('bus:{auth-node}');
    expect(await commands.spublish('bus:{auth-node}', 'hello')).toBe(1);
    expect(await received).toBe('bus:{auth-node}');
  });

  it('authenticates as the ACL user REDIS_CLUSTER_USERNAME names', async () => {
    const commands = connect({ username: ACL_USER, password: ACL_PASSWORD });
    await commands.set('acl-key', 'v');
    const master = commands.nodes('master')[0];
    expect(await master.call('ACL', 'WHOAMI')).toBe(ACL_USER);
  });

  it('is ready on the health check with the credentials', async () => {
    const health = new RedisHealthIndicator(new HealthIndicatorService(), connect(config.credentials));
    await nextEvent(opened[opened.length - 1], 'ready');
    expect(await health.isHealthy('redis')).toEqual({ redis: { status: 'up', cluster_state: 'ok', slots_ok: 16_384, masters: 3 } });
  });

  it('carries Nest transport requests with the credentials', async () => {
    const options = { nodes: config.nodes, credentials: config.credentials, retryAttempts: 10, retryDelay: 200 };
    expect(await requestThrough(new RedisClusterTransportServer(options), new RedisClusterTransportClient(options))).toBe(42);
  });

  it('stops start-up on a missing password, naming REDIS_CLUSTER_PASSWORD', async () => {
    await expect(assertRedisReachable(config, 2_000)).resolves.toBeUndefined();
    await expect(assertRedisReachable({ ...config, credentials: undefined }, 2_000)).rejects.toThrow(
      /^the Redis Cluster at cluster 127\.0\.0\.1:\d+.* \(REDIS_CLUSTER_NODES\) requires a password: NOAUTH Authentication required\. Set REDIS_CLUSTER_PASSWORD/,
    );
  });

  it.each([
    ['a wrong password', { password: WRONG_PASSWORD }, /refuses REDIS_CLUSTER_PASSWORD: WRONGPASS invalid username-password pair/],
    ['a wrong password of an ACL user', { username: ACL_USER, password: WRONG_PASSWORD }, /refuses REDIS_CLUSTER_USERNAME and REDIS_CLUSTER_PASSWORD: WRONGPASS/],
  ])('stops start-up on %s, naming the variables and never the password', async (_, credentials, message) => {
    const error = await assertRedisReachable({ ...config, credentials }, 2_000).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect(everything(error)).not.toContain(WRONG_PASSWORD);
  });

  it('reports a wrong password as WRONGPASS without the password, on every error and in readiness', async () => {
    const connection = connect({ password: WRONG_PASSWORD });
    const errors: unknown[] = [];
    connection.on('node error', (error: unknown) => errors.push(error));
    connection.on('error', (error: unknown) => errors.push(error));
    await nextEvent(connection, 'node error');
    // ioredis hangs the refused AUTH on its errors, arguments included: they are blanked
    expect(errors.map((error) => (error as Error).message)).toContain('WRONGPASS invalid username-password pair or user is disabled.');
    expect(everything(errors)).toMatch(/name: 'auth'/);
    expect(everything(errors)).not.toContain(WRONG_PASSWORD);

    const health = await new RedisHealthIndicator(new HealthIndicatorService(), connection).isHealthy('redis');
    expect(health.redis.status).toBe('down');
    expect(everything(health)).not.toContain(WRONG_PASSWORD);
  });

  it("keeps a wrong password out of what Nest's transport logs", async () => {
    const server = new RedisClusterTransportServer({ nodes: config.nodes, credentials: { username: ACL_USER, password: WRONG_PASSWORD }, retryAttempts: 2, retryDelay: 100 });
    expect(await logsOfRefusedServer(server, /WRONGPASS/)).not.toContain(WRONG_PASSWORD);
  });
});

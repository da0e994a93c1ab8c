import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { Cluster } from 'ioredis';
import { startRedisCluster, ThrowawayRedisCluster } from './redis-cluster';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe(startRedisCluster.name, () => {
  let cluster: ThrowawayRedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = new Cluster(cluster.seeds.split(',').map((address) => ({ host: '127.0.0.1', port: Number(address.split(':')[1]) })));
  }, 60_000);

  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('runs 3 masters with one replica each, on loopback', async () => {
    expect(cluster.nodes).toHaveLength(6);
    expect(cluster.seeds.split(',')).toEqual(cluster.nodes.map((node) => `127.0.0.1:${node.port}`));
    const roles = await cluster.roles();
    const masters = roles.filter((role) => role.role === 'master').map((role) => role.port);
    const replicas = roles.filter((role) => role.role === 'replica');
    expect(masters).toHaveLength(3);
    expect(replicas).toHaveLength(3);
    expect(new Set(replicas.map((replica) => replica.masterPort))).toEqual(new Set(masters));
  });

  it('serves keys of every slot through a cluster client', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `key-${i}`);
    await Promise.all(keys.map((key, i) => client.set(key, String(i))));
    expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys.map((_, i) => String(i)));
    const owners = new Set(await Promise.all(keys.slice(0, 30).map((key) => cluster.masterOf(key))));
    expect(owners.size).toBe(3);
  });

  it('empties every master on flushAll', async () => {
    await client.set('{a}x', '1');
    await client.set('{b}x', '1');
    await cluster.flushAll();
    expect([await client.get('{a}x'), await client.get('{b}x')]).toEqual([null, null]);
  });

  it('promotes the replica of a killed master and is healthy again', async () => {
    await client.set('failover-key', 'kept');
    const master = await cluster.masterOf('failover-key');
    const replica = (await cluster.roles()).find((role) => role.masterPort === master);
    // the replica must have the write before the master dies: WAIT asks the master for its ack
    expect(await client.call('WAIT', '1', '2000')).toBe(1);
    await cluster.kill(master);
    expect(await accepts(master)).toBe(false);
    await cluster.waitUntilHealthy(30_000);
    expect(await cluster.masterOf('failover-key')).toBe(replica?.port);
    expect(await client.get('failover-key')).toBe('kept');
  }, 40_000);

  it('kills every node and removes its directories on stop', async () => {
    // its own directory, not a count of /tmp: other test runs on the machine start clusters too
    expect(cluster.directory.startsWith(`${tmpdir()}/redis-cluster-`)).toBe(true);
    expect(readdirSync(cluster.directory).sort()).toEqual(cluster.nodes.map((node) => String(node.port)).sort());
    client.disconnect();
    await cluster.stop();
    const listening = await Promise.all(cluster.nodes.map((node) => accepts(node.port)));
    expect(listening.every((open) => !open)).toBe(true);
    expect(existsSync(cluster.directory)).toBe(false);
  });
});

describe(`${startRedisCluster.name} with a password`, () => {
  const password = 'throwaway-cluster-pw';
  let cluster: ThrowawayRedisCluster;
  const clients: Cluster[] = [];

  function clientOf(options: { password?: string }): Cluster {
    const client = new Cluster(
      cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
      { redisOptions: options, clusterRetryStrategy: () => null },
    );
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    cluster = await startRedisCluster({ password });
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await cluster?.stop();
  });

  it('makes every node require it, replicas included, and still reports roles and flushes', async () => {
    expect(cluster.password).toBe(password);
    // healthy means every replica synced: each authenticated to its master with masterauth
    const roles = await cluster.roles();
    expect(roles.filter((role) => role.role === 'replica')).toHaveLength(3);
    const client = clientOf({ password });
    await client.set('{p}key', 'v');
    expect(await client.get('{p}key')).toBe('v');
    await cluster.flushAll();
    expect(await client.get('{p}key')).toBeNull();
  });

  it('refuses a client without it', async () => {
    await expect(clientOf({}).get('key')).rejects.toThrow(/NOAUTH|Failed to refresh slots cache|None of startup nodes is available/);
  });
});

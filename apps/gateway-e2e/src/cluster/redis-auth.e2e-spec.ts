import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, runAppToExit, SignalingClient, startApp, startRedisCluster, ThrowawayRedisCluster, uniqueName } from '@sg/testing';
import { GatewayCluster, startGatewayCluster } from '../support/gateway-cluster';

const PASSWORD = 'e2e-cluster-secret-4b1f07';
const WRONG_PASSWORD = 'e2e-wrong-secret-c39d55';
const ADMIN_API_KEY = 'redis-auth-e2e-admin-key-0123';

type Joined = SignalingClient & { peerId: string };

// REDIS_CLUSTER_PASSWORD: the apps on a cluster of their own whose every node requires it
describe('apps on a Redis Cluster that requires a password', () => {
  const directory = mkdtempSync(join(tmpdir(), 'redis-auth-'));
  let cluster: ThrowawayRedisCluster;
  let gateways: GatewayCluster;
  let adminSearch: AppProcess;
  const clients: SignalingClient[] = [];

  const joinOn = async (node: number, room: string): Promise<Joined> => {
    const client = (await SignalingClient.join(gateways.wsUrl(node, `room=${room}`))) as Joined;
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await startRedisCluster({ password: PASSWORD });
    const redis = { REDIS_CLUSTER_NODES: cluster.seeds, REDIS_CLUSTER_PASSWORD: PASSWORD };
    [gateways, adminSearch] = await Promise.all([startGatewayCluster(2, redis), startApp('admin-search', { ...redis, ADMIN_API_KEY, SQLITE_PATH: join(directory, 'sessions.db') })]);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.drop();
    await Promise.all([gateways?.stop(), adminSearch?.stop('SIGTERM')]);
    await cluster?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('relays a signal between peers on two gateways, and carries an operator kick over the transport', async () => {
    const room = uniqueName('auth-call');
    const alice = await joinOn(0, room);
    const bob = await joinOn(1, room);
    await alice.next('peer-joined');
    alice.send({ type: 'offer', to: bob.peerId, sdp: 'v=0 over an authenticated cluster' });
    expect(await bob.next('offer')).toMatchObject({ type: 'offer', from: alice.peerId, sdp: 'v=0 over an authenticated cluster' });

    // admin-search asks bob's node over the Nest transport, whose connections authenticate too
    const response = await fetch(`${adminSearch.baseUrl}/api/rooms/${room}/peers/${bob.peerId}/kick`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_API_KEY}` } });
    expect(response.status).toBe(200);
    expect((await bob.closed).code).toBe(4000);
    expect(await alice.next('peer-left')).toEqual({ type: 'peer-left', peerId: bob.peerId, reason: 'kicked' });

    for (const app of [...gateways.nodes, adminSearch]) expect(app.output()).not.toContain(PASSWORD);
  });

  it('stops a gateway given a wrong password, naming the variable and never the password', async () => {
    const { code, output } = await runAppToExit('gateway', { REDIS_CLUSTER_NODES: cluster.seeds, REDIS_CLUSTER_PASSWORD: WRONG_PASSWORD, NODE_ID: uniqueName('auth-wrong') });

    expect(code).toBe(1);
    expect(output).toMatch(/refuses REDIS_CLUSTER_PASSWORD: WRONGPASS/);
    expect(output).not.toContain(WRONG_PASSWORD);
  });
});

import { scrapeMetrics, SignalingClient, uniqueName } from '@sg/testing';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

const RESUME_WINDOW_MS = 1_500;

// Lost sockets and lost nodes (PROTOCOL section 1, peer-left reasons timeout and node-lost).
describe('liveness of peers and nodes', () => {
  let cluster: GatewayCluster;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    cluster = await startGatewayCluster(3, {
      RESUME_WINDOW_MS: String(RESUME_WINDOW_MS),
      NODE_HEARTBEAT_INTERVAL_MS: '250',
      NODE_TTL_MS: '1000',
      ROOM_CAPACITY: '2',
      HEARTBEAT_INTERVAL_MS: '1000',
    });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await cluster.stop();
  });

  async function join(node: number, room: string) {
    const client = await SignalingClient.join(cluster.wsUrl(node, `room=${room}`));
    clients.push(client);
    return client;
  }

  it('announces a lost socket as `timeout` only after the resume window', async () => {
    const room = uniqueName('lost');
    const alice = await join(0, room);
    const bob = await join(1, room);
    await alice.next('peer-joined');
    const droppedAt = Date.now();
    bob.drop();
    await alice.expectQuiet(RESUME_WINDOW_MS - 400, 'peer-left');
    expect(await alice.next('peer-left', 5_000)).toEqual({ type: 'peer-left', peerId: bob.peerId, reason: 'timeout' });
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(RESUME_WINDOW_MS - 50);
  });

  it('ends a peer that stops answering pings, then announces `timeout` after the window', async () => {
    const room = uniqueName('silent');
    const alice = await join(0, room);
    const silent = await SignalingClient.join(cluster.wsUrl(1, `room=${room}`), { autoPong: false });
    clients.push(silent);
    await alice.next('peer-joined');
    const joinedAt = Date.now();
    // no pong for a whole interval: terminated at its second heartbeat, then the resume window runs
    expect((await silent.closed).code).toBe(1006);
    expect(Date.now() - joinedAt).toBeGreaterThanOrEqual(1_000);
    expect((await scrapeMetrics(cluster.nodes[1].baseUrl)).value('signaling_heartbeat_timeouts_total')).toBe(1);
    expect((await scrapeMetrics(cluster.nodes[0].baseUrl)).value('signaling_heartbeat_timeouts_total')).toBe(0);
    expect(await alice.next('peer-left', RESUME_WINDOW_MS + 3_000)).toEqual({ type: 'peer-left', peerId: silent.peerId, reason: 'timeout' });
  });

  it('keeps the seat of a lost peer during the window and frees it after', async () => {
    const room = uniqueName('seat');
    const alice = await join(0, room);
    const bob = await join(1, room);
    bob.drop();
    const early = await SignalingClient.connect(cluster.wsUrl(0, `room=${room}`));
    expect((await early.closed).code).toBe(4409);
    await alice.next('peer-left', 5_000);
    const later = await join(1, room);
    expect(later.welcome['peers']).toEqual([{ peerId: alice.peerId }]);
  });

  it('removes the peers of a killed node with `node-lost` once the resume window is over, and frees their seats', async () => {
    const room = uniqueName('nodelost');
    const alice = await join(0, room);
    const victim = await join(2, room);
    await alice.next('peer-joined');
    const killedAt = Date.now();
    await cluster.nodes[2].stop('SIGKILL');
    expect(await alice.next('peer-left', RESUME_WINDOW_MS + 8_000)).toEqual({ type: 'peer-left', peerId: victim.peerId, reason: 'node-lost' });
    // found dead after NODE_TTL_MS, then held for the window in case the peer resumes elsewhere (PROTOCOL section 1)
    const announcedAfter = Date.now() - killedAt;
    expect(announcedAfter).toBeGreaterThanOrEqual(RESUME_WINDOW_MS);
    expect(announcedAfter).toBeLessThan(RESUME_WINDOW_MS + 5_000);
    // no ghost: the dead node's seat is free again
    const replacement = await join(1, room);
    expect(replacement.welcome['peers']).toEqual([{ peerId: alice.peerId }]);
    const nodes = (await (await fetch(`${cluster.nodes[0].baseUrl}/readyz`)).json()) as { status: string };
    expect(nodes.status).toBe('ok');
  });

  it('stops on SIGTERM with exit code 0, closing its peers with 1001; the others hear `timeout` after the window if they do not resume', async () => {
    const room = uniqueName('sigterm');
    const alice = await join(0, room);
    const bob = await join(1, room);
    await alice.next('peer-joined');
    const exitCode = await cluster.nodes[1].stop('SIGTERM');
    expect(exitCode).toBe(0);
    expect((await bob.closed).code).toBe(1001);
    await alice.expectQuiet(RESUME_WINDOW_MS - 600, 'peer-left');
    expect(await alice.next('peer-left', 5_000)).toEqual({ type: 'peer-left', peerId: bob.peerId, reason: 'timeout' });
  });
});

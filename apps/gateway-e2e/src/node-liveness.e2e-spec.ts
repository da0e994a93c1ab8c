import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { AppProcess, scrapeMetrics, SignalingClient, startApp, startRedisServer, ThrowawayRedis, uniqueName } from '@sg/testing';
import { E2E_REDIS_KEYS } from './support/redis-keys';

// Node liveness and live counts through faults (docs/operations.md, "Node liveness").
// Each suite has its own redis-server, restarted on the same port.

type Joined = SignalingClient & { peerId: string; welcome: Record<string, unknown> };

const ADMIN_API_KEY = 'node-liveness-e2e-key-0123456789';

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    const value = await probe().catch((error: unknown) => ((last = error), null));
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last error: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a Redis restart of 2 s under live calls (Redis with persistence)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'liveness-redis-'));
  let redis: ThrowawayRedis;
  const nodes: AppProcess[] = [];
  const nodeIds = [uniqueName('live-1'), uniqueName('live-2')];
  const clients: Joined[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ persistDir: directory });
    for (const nodeId of nodeIds) {
      nodes.push(await startApp('gateway', { NODE_ID: nodeId, REDIS_URL: redis.url, RESUME_WINDOW_MS: '3000', SESSION_EVENTS_FLUSH_MS: '50' }));
    }
  });

  afterAll(async () => {
    for (const client of clients) client.drop();
    await Promise.all(nodes.map((node) => node.stop('SIGKILL')));
    await redis.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('declares no node dead: no node-lost, no hold, no peer removed, and calls go on across nodes', async () => {
    const pairs: Array<[Joined, Joined]> = [];
    for (let i = 0; i < 4; i++) {
      const room = uniqueName('call');
      const a = (await SignalingClient.join(`ws://127.0.0.1:${nodes[0].port}/ws?room=${room}`)) as Joined;
      const b = (await SignalingClient.join(`ws://127.0.0.1:${nodes[1].port}/ws?room=${room}`)) as Joined;
      await a.next('peer-joined');
      clients.push(a, b);
      pairs.push([a, b]);
    }
    // both nodes have beaten steadily for longer than a TTL: they judge others normally
    await new Promise((resolve) => setTimeout(resolve, 4_500));

    const framesBefore = new Map(clients.map((client) => [client, client.frames.length]));
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    redis = await startRedisServer({ port: redis.port, persistDir: directory });

    // past the TTL, a heartbeat and the whole resume window: a false node-lost would have shown by now
    const observedUntil = Date.now() + 3_000 + 1_000 + 3_000 + 2_000;
    const probe = new Redis(redis.url);
    try {
      while (Date.now() < observedUntil) {
        expect(await probe.zcard(E2E_REDIS_KEYS.heldPeers)).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      for (const [a, b] of pairs) {
        expect(await probe.hexists(E2E_REDIS_KEYS.room(String(a.welcome['room'])), a.peerId)).toBe(1);
        expect(await probe.hexists(E2E_REDIS_KEYS.room(String(b.welcome['room'])), b.peerId)).toBe(1);
      }
      expect((await probe.hkeys(E2E_REDIS_KEYS.nodes)).sort()).toEqual([...nodeIds].sort());
    } finally {
      probe.disconnect();
    }
    for (const client of clients) {
      expect(client.frames.slice(framesBefore.get(client))).toEqual([]);
      expect(client.ws.readyState).toBe(client.ws.OPEN);
    }
    for (const node of nodes) expect(node.output()).not.toContain('stopped heartbeating');
    for (const [a, b] of pairs) {
      a.send({ type: 'offer', to: b.peerId, sdp: 'v=0 after the restart' });
      expect(await b.next('offer', 10_000)).toEqual({ type: 'offer', sdp: 'v=0 after the restart', from: a.peerId });
    }
  }, 60_000);
});

describe('thousands of sockets dropped without a close frame on one node while the other sweeps', () => {
  const directory = mkdtempSync(join(tmpdir(), 'liveness-counts-'));
  let redis: ThrowawayRedis;
  const nodes: AppProcess[] = [];
  const nodeIds = [uniqueName('drop-1'), uniqueName('drop-2')];
  let adminSearch: AppProcess;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, RESUME_WINDOW_MS: '2000', RATE_LIMIT_CONN_PER_10S: '100000', RATE_LIMIT_IP_MSGS_PER_10S: '0', MAX_CONNECTIONS: '10000' };
    for (const nodeId of nodeIds) nodes.push(await startApp('gateway', { ...env, NODE_ID: nodeId }));
    adminSearch = await startApp('admin-search', { REDIS_URL: redis.url, ADMIN_API_KEY, SQLITE_PATH: join(directory, 'sessions.db') });
  });

  afterAll(async () => {
    await Promise.all([...nodes.map((node) => node.stop('SIGKILL')), adminSearch?.stop('SIGKILL')]);
    await redis.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('GET /api/nodes agrees with GET /api/rooms, and the node forgets the rooms it held', async () => {
    const auth = { authorization: `Bearer ${ADMIN_API_KEY}` };
    const rooms = Array.from({ length: 1_000 }, () => uniqueName('drop'));
    const dropped: SignalingClient[] = [];
    for (let i = 0; i < rooms.length; i += 100) {
      const batch = rooms.slice(i, i + 100).flatMap((room) => [room, room]);
      dropped.push(...(await Promise.all(batch.map((room) => SignalingClient.join(`ws://127.0.0.1:${nodes[0].port}/ws?room=${room}`)))));
    }
    // one room that stays, spread over both nodes
    const kept = uniqueName('kept');
    const stay = [
      (await SignalingClient.join(`ws://127.0.0.1:${nodes[0].port}/ws?room=${kept}`)) as Joined,
      (await SignalingClient.join(`ws://127.0.0.1:${nodes[1].port}/ws?room=${kept}`)) as Joined,
    ];
    await until('node 1 counts 1,001 rooms', async () => (await scrapeMetrics(nodes[0].baseUrl)).value('signaling_rooms_active') === 1_001);

    for (const client of dropped) client.drop();

    type LiveNode = { node_id: string; rooms: number; connections: number };
    type LiveRoom = { room_id: string; peers: Array<{ node: string }> };
    const liveNodes = async () => (await fetch(`${adminSearch.baseUrl}/api/nodes`, { headers: auth })).json() as Promise<LiveNode[]>;
    const liveRooms = async () => (await fetch(`${adminSearch.baseUrl}/api/rooms`, { headers: auth })).json() as Promise<LiveRoom[]>;
    // the holds end after RESUME_WINDOW_MS, swept by whichever node comes first, room by room.
    // Each answer is its own read of the room directory, so the two agree on one state of it, not
    // while the sweep changes it between them: compare them once the sweep is over. A dropped
    // room stays listed until its holds end, so the kept room alone means nothing changes any more.
    await until('only the kept room is live', async () => (await liveRooms()).length === 1);
    const settled = { liveNodes: await liveNodes(), liveRooms: await liveRooms() };
    expect(settled.liveRooms.map((room) => room.room_id)).toEqual([kept]);
    expect(settled.liveNodes.map((node) => node.node_id).sort()).toEqual([...nodeIds].sort());
    for (const node of settled.liveNodes) {
      const inRooms = settled.liveRooms.filter((room) => room.peers.some((peer) => peer.node === node.node_id)).length;
      expect({ node: node.node_id, rooms: node.rooms }).toEqual({ node: node.node_id, rooms: inRooms });
    }
    // the node's own view forgets them too, within a heartbeat or two: its gauge and what it reports
    await until('node 1 counts 1 room', async () => (await scrapeMetrics(nodes[0].baseUrl)).value('signaling_rooms_active') === 1);
    const node1 = settled.liveNodes.find((node) => node.rooms === 1 && node.node_id === nodeIds[0]);
    expect(node1).toBeDefined();
    await until('no drift for node 1', async () => {
      // GET /api/nodes refreshes the drift gauge
      await liveNodes();
      return (await scrapeMetrics(adminSearch.baseUrl)).find('admin_node_rooms_drift', { node: String(node1?.node_id) }) === 0;
    });
    for (const client of stay) expect(client.ws.readyState).toBe(client.ws.OPEN);
    for (const client of stay) client.drop();
  }, 120_000);
});

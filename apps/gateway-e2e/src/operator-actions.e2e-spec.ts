import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionDocument } from '@sg/schema';
import { AppProcess, SignalingClient, startApp, uniqueName } from '@sg/testing';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

const ADMIN_API_KEY = 'operator-actions-e2e-key-0123';
const auth = { authorization: `Bearer ${ADMIN_API_KEY}` };
type Joined = SignalingClient & { peerId: string; welcome: Record<string, unknown> };

/** A Redis database of its own, so no other suite's gateways share its rooms and registry. */
function isolatedRedisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set');
  return `${url.replace(/\/\d*$/, '')}/9`;
}

interface ActionRecord {
  t: number;
  action: string;
  target: string;
  node_id: string | null;
  result: string;
  remote_addr: string;
}

// PROTOCOL section 3, "Operator actions": admin-search asks the owning gateway node over the Nest Redis transport.
describe('operator actions across two gateway nodes', () => {
  const directory = mkdtempSync(join(tmpdir(), 'operator-actions-'));
  const redisUrl = isolatedRedisUrl();
  const gatewayEnv = { REDIS_URL: redisUrl, SESSION_EVENTS_FLUSH_MS: '20', DRAIN_TIMEOUT_MS: '1000', RESUME_WINDOW_MS: '15000' };
  let cluster: GatewayCluster;
  let indexer: AppProcess;
  let adminSearch: AppProcess;
  const clients: SignalingClient[] = [];

  const call = (method: string, path: string, headers: Record<string, string> = auth) => fetch(`${adminSearch.baseUrl}${path}`, { method, headers });
  const joinRoom = async (node: number, room: string): Promise<Joined> => {
    const client = (await SignalingClient.join(cluster.wsUrl(node, `room=${room}`))) as Joined;
    clients.push(client);
    return client;
  };
  const refusal = async (node: number, query: string) => {
    const client = await SignalingClient.connect(cluster.wsUrl(node, query));
    clients.push(client);
    return client.closed;
  };
  const nodes = async () => (await (await call('GET', '/api/nodes')).json()) as Array<{ node_id: string; draining: boolean }>;

  beforeAll(async () => {
    cluster = await startGatewayCluster(2, gatewayEnv);
    const env = { REDIS_URL: redisUrl, SQLITE_PATH: join(directory, 'sessions.db') };
    [indexer, adminSearch] = await Promise.all([startApp('diagnostics-indexer', env), startApp('admin-search', { ...env, ADMIN_API_KEY })]);
  });

  afterAll(async () => {
    for (const client of clients) client.drop();
    await Promise.all([cluster?.stop(), indexer?.stop('SIGTERM'), adminSearch?.stop('SIGTERM')]);
    rmSync(directory, { recursive: true, force: true });
  });

  it('kicks a peer held by the other node: 4000 for it, peer-left kicked for the room, its resume token refused, a kicked entry in its session', async () => {
    const room = uniqueName('kick');
    const alice = await joinRoom(0, room);
    const bob = await joinRoom(1, room);
    await alice.next('peer-joined');
    alice.send({ type: 'offer', sdp: 'v=0 kick', to: bob.peerId });
    await bob.next('offer');

    const response = await call('POST', `/api/rooms/${room}/peers/${bob.peerId}/kick`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ room_id: room, peer_id: bob.peerId, node_id: cluster.nodeIds[1] });
    // the node answered after acting: the socket is closing or closed with 4000
    expect((await bob.closed).code).toBe(4000);
    expect(await alice.next('peer-left')).toEqual({ type: 'peer-left', peerId: bob.peerId, reason: 'kicked' });
    for (const node of [0, 1]) {
      expect(await refusal(node, `room=${room}&resume=${String(bob.welcome['resumeToken'])}`)).toEqual({ code: 4400, reason: 'unknown resume token' });
    }

    const deadline = Date.now() + 10_000;
    let session: SessionDocument | undefined;
    while (!session?.events.some((event) => event.type === 'kicked')) {
      if (Date.now() > deadline) throw new Error(`no kicked entry in the session of ${room}: ${JSON.stringify(session)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = (await (await call('GET', `/api/sessions?room=${room}`)).json()) as { hits: SessionDocument[] };
      session = answer.hits[0];
    }
    expect(session.events.find((event) => event.type === 'kicked')).toMatchObject({ by: 'server', detail: bob.peerId });
    expect(session.client_b_id).toBe(bob.peerId);
  });

  it('closes a room spread over both nodes: every peer gets 4000 and the room is gone', async () => {
    const room = uniqueName('close');
    const peers = [await joinRoom(0, room), await joinRoom(0, room), await joinRoom(1, room)];
    const response = await call('DELETE', `/api/rooms/${room}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ room_id: room, kicked: 3 });
    for (const peer of peers) expect((await peer.closed).code).toBe(4000);
    const rooms = (await (await call('GET', '/api/rooms')).json()) as Array<{ room_id: string }>;
    expect(rooms.map((entry) => entry.room_id)).not.toContain(room);
    expect((await call('DELETE', `/api/rooms/${room}`)).status).toBe(404);
  });

  it('drains a node (its clients resume on the other, /readyz 503, new sockets 1001) and undrains it', async () => {
    const room = uniqueName('drain');
    const node = cluster.nodeIds[1];
    const carol = await joinRoom(1, room);
    const dave = await joinRoom(0, room);
    await carol.next('peer-joined');

    const drained = await call('POST', `/api/nodes/${node}/drain`);
    expect(drained.status).toBe(200);
    expect(await drained.json()).toEqual({ node_id: node, draining: true });
    expect((await carol.closed).code).toBe(1001);
    expect((await fetch(`${cluster.nodes[1].baseUrl}/readyz`)).status).toBe(503);
    expect((await nodes()).find((entry) => entry.node_id === node)).toMatchObject({ draining: true });
    expect((await refusal(1, `room=${uniqueName('late')}`)).code).toBe(1001);
    const resumed = (await SignalingClient.join(cluster.wsUrl(0, `room=${room}&resume=${String(carol.welcome['resumeToken'])}`))) as Joined;
    clients.push(resumed);
    expect(resumed.peerId).toBe(carol.peerId);
    await dave.expectQuiet(300, 'peer-left');

    const undrained = await call('POST', `/api/nodes/${node}/undrain`);
    expect(undrained.status).toBe(200);
    expect(await undrained.json()).toEqual({ node_id: node, draining: false });
    expect((await fetch(`${cluster.nodes[1].baseUrl}/readyz`)).status).toBe(200);
    expect((await nodes()).find((entry) => entry.node_id === node)).toMatchObject({ draining: false });
    const erin = await joinRoom(1, room);
    expect(erin.peerId).toEqual(expect.any(String));
  });

  it('answers 404 for an unknown room, peer or node and 400 for a malformed one', async () => {
    expect((await call('POST', `/api/rooms/${uniqueName('none')}/peers/nobody/kick`)).status).toBe(404);
    expect((await call('DELETE', `/api/rooms/${uniqueName('none')}`)).status).toBe(404);
    expect((await call('POST', `/api/nodes/${uniqueName('no-node')}/drain`)).status).toBe(404);
    const bad = await call('DELETE', '/api/rooms/bad%20room');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ statusCode: 400, message: expect.stringContaining('room') });
  });

  it('refuses every action and the log without the admin key, and acts on nothing', async () => {
    const room = uniqueName('nokey');
    const frank = await joinRoom(0, room);
    const requests: Array<[string, string]> = [
      ['POST', `/api/rooms/${room}/peers/${frank.peerId}/kick`],
      ['DELETE', `/api/rooms/${room}`],
      ['POST', `/api/nodes/${cluster.nodeIds[0]}/drain`],
      ['POST', `/api/nodes/${cluster.nodeIds[0]}/undrain`],
      ['GET', '/api/actions'],
    ];
    for (const [method, path] of requests) {
      for (const headers of [{}, { authorization: 'Bearer wrong-key-wrong-key-wrong' }] as Array<Record<string, string>>) {
        const response = await call(method, path, headers);
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
      }
    }
    await frank.expectQuiet(200);
    expect(frank.ws.readyState).toBe(frank.ws.OPEN);
    expect((await fetch(`${cluster.nodes[0].baseUrl}/readyz`)).status).toBe(200);
  });

  it('answers 504 within 3 s for a node that died, and logs it', async () => {
    const doomed = await startApp('gateway', { ...gatewayEnv, NODE_ID: uniqueName('doomed') });
    const room = uniqueName('dead');
    const client = (await SignalingClient.join(`ws://127.0.0.1:${doomed.port}/ws?room=${room}`)) as Joined;
    clients.push(client);
    doomed.child.kill('SIGKILL');
    await client.closed;

    const startedAt = Date.now();
    const response = await call('POST', `/api/rooms/${room}/peers/${client.peerId}/kick`);
    const elapsed = Date.now() - startedAt;
    expect(response.status).toBe(504);
    // the node gets 2.8 s of the 3 s; a busy machine may add some scheduling delay on top
    expect(elapsed).toBeGreaterThanOrEqual(2_800);
    expect(elapsed).toBeLessThan(3_500);
  });

  it('lists every action newest first, with its result, node and operator address', async () => {
    const response = await call('GET', '/api/actions?limit=50');
    expect(response.status).toBe(200);
    const actions = (await response.json()) as ActionRecord[];
    expect(actions.map((entry) => `${entry.action}:${entry.result}`)).toEqual([
      'kick:timeout',
      'drain:not-found',
      'close-room:not-found',
      'kick:not-found',
      'undrain:ok',
      'drain:ok',
      'close-room:not-found',
      'close-room:ok',
      'kick:ok',
    ]);
    const times = actions.map((entry) => entry.t);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(actions[8]).toMatchObject({ node_id: cluster.nodeIds[1], remote_addr: expect.stringMatching(/^127\.0\.0\.1:\d+$|^\[::ffff:127\.0\.0\.1\]:\d+$/) });
    expect(actions[7].node_id?.split(',').sort()).toEqual([...cluster.nodeIds].sort());
    expect((await call('GET', '/api/actions?limit=0')).status).toBe(400);
    expect(((await (await call('GET', '/api/actions?limit=2')).json()) as ActionRecord[]).length).toBe(2);

    const metrics = await (await fetch(`${adminSearch.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/admin_actions_total\{action="kick",result="ok"[^}]*\} 1/);
    expect(metrics).toMatch(/admin_actions_total\{action="kick",result="timeout"[^}]*\} 1/);
    expect(metrics).toMatch(/admin_actions_total\{action="undrain",result="error"[^}]*\} 0/);
  });
});

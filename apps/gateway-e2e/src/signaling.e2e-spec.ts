import { randomBytes } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { SignalingClient, uniqueName } from '@sg/testing';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

// PROTOCOL section 1 across two gateway nodes on one Redis.
describe('signaling across two nodes', () => {
  let cluster: GatewayCluster;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    cluster = await startGatewayCluster(2, {
      STUN_URLS: 'stun:stun.example.test:3478',
      TURN_URLS: 'turn:turn.example.test:3478?transport=udp',
      TURN_SECRET: 'a-test-secret-of-enough-length',
      TURN_TTL_SECONDS: '600',
      ROOM_CAPACITY: '3',
      MESSAGE_MAX_BYTES: '65536',
    });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await cluster.stop();
  });

  async function join(node: number, room: string, extra = '') {
    const client = await SignalingClient.join(cluster.wsUrl(node, `room=${room}${extra}`));
    clients.push(client);
    return client;
  }

  async function connect(node: number, query: string, headers: Record<string, string> = {}) {
    const client = await SignalingClient.connect(cluster.wsUrl(node, query), { headers });
    clients.push(client);
    return client;
  }

  it('welcomes with peer id, room, present peers, ICE servers and a resume token', async () => {
    const room = uniqueName('welcome');
    const alice = await join(0, room, '&name=Alice');
    expect(alice.welcome).toEqual({
      type: 'welcome',
      peerId: expect.any(String),
      room,
      peers: [],
      iceServers: [
        { urls: ['stun:stun.example.test:3478'] },
        { urls: ['turn:turn.example.test:3478?transport=udp'], username: expect.stringMatching(/^\d+:/), credential: expect.any(String) },
      ],
      resumeToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const bob = await join(1, room);
    expect(bob.welcome['peers']).toEqual([{ peerId: alice.peerId, name: 'Alice' }]);
    expect(bob.peerId).not.toEqual(alice.peerId);
    expect(bob.welcome['resumeToken']).not.toEqual(alice.welcome['resumeToken']);
  });

  it('announces peer-joined to peers on the other node, with the name', async () => {
    const room = uniqueName('joined');
    const alice = await join(0, room);
    const bob = await join(1, room, '&name=Bob');
    expect(await alice.next('peer-joined')).toEqual({ type: 'peer-joined', peerId: bob.peerId, name: 'Bob' });
  });

  it.each([
    ['same node', 0, 0],
    ['across nodes', 0, 1],
  ])('relays offer, answer and candidates with from, %s', async (_, nodeA, nodeB) => {
    const room = uniqueName('relay');
    const alice = await join(nodeA, room);
    const bob = await join(nodeB, room);
    await alice.next('peer-joined');
    alice.send({ type: 'offer', to: bob.peerId, sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' });
    expect(await bob.next('offer')).toEqual({ type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n', from: alice.peerId });
    bob.send({ type: 'answer', to: alice.peerId, sdp: 'v=0 answer' });
    expect(await alice.next('answer')).toEqual({ type: 'answer', sdp: 'v=0 answer', from: bob.peerId });
    const line = 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host';
    alice.send({ type: 'candidate', to: bob.peerId, candidate: line, sdpMid: '0', sdpMLineIndex: 0 });
    expect(await bob.next('candidate')).toEqual({ type: 'candidate', candidate: line, sdpMid: '0', sdpMLineIndex: 0, from: alice.peerId });
    alice.send({ type: 'candidate', to: bob.peerId, candidate: '', sdpMid: null, sdpMLineIndex: null });
    expect(await bob.next('candidate')).toEqual({ type: 'candidate', candidate: '', sdpMid: null, sdpMLineIndex: null, from: alice.peerId });
  });

  it('keeps the order of a stream of candidates across nodes', async () => {
    const room = uniqueName('order');
    const alice = await join(0, room);
    const bob = await join(1, room);
    await alice.next('peer-joined');
    for (let i = 0; i < 50; i++) alice.send({ type: 'candidate', to: bob.peerId, candidate: `candidate:${i} 1 udp 1 127.0.0.1 ${5000 + i} typ host` });
    for (let i = 0; i < 50; i++) expect((await bob.next('candidate'))['candidate']).toBe(`candidate:${i} 1 udp 1 127.0.0.1 ${5000 + i} typ host`);
  });

  it('sends an offer without `to` to every other peer of the room, on both nodes', async () => {
    const room = uniqueName('roomwide');
    const alice = await join(0, room);
    const bob = await join(1, room);
    const carol = await join(0, room);
    await alice.next('peer-joined');
    await alice.next('peer-joined');
    alice.send({ type: 'offer', sdp: 'v=0 to all' });
    expect(await bob.next('offer')).toEqual({ type: 'offer', sdp: 'v=0 to all', from: alice.peerId });
    expect(await carol.next('offer')).toEqual({ type: 'offer', sdp: 'v=0 to all', from: alice.peerId });
    await alice.expectQuiet(200, 'offer');
  });

  it('answers ping with pong carrying the same t', async () => {
    const alice = await join(1, uniqueName('ping'));
    alice.send({ type: 'ping', t: 1234.5 });
    expect(await alice.next('pong')).toEqual({ type: 'pong', t: 1234.5 });
    alice.send({ type: 'ping' });
    expect(await alice.next('pong')).toEqual({ type: 'pong' });
  });

  it.each([
    ['not JSON', '{"type":'],
    ['not an object', '[1,2]'],
    ['no type', '{"sdp":"x"}'],
    ['unknown type', '{"type":"hello"}'],
    ['sdp of the wrong type', '{"type":"offer","sdp":42}'],
    ['sdp over the limit', JSON.stringify({ type: 'offer', sdp: 'a'.repeat(40_000) })],
    ['candidate over the limit', JSON.stringify({ type: 'candidate', candidate: 'c'.repeat(2_000) })],
    ['sdpMLineIndex not an integer', '{"type":"candidate","candidate":"","sdpMLineIndex":1.5}'],
    ['bad connection state', '{"type":"state","connectionState":"exploded"}'],
    ['stats without report', '{"type":"stats"}'],
  ])('answers a malformed frame (%s) with schema-error and keeps the socket', async (_, frame) => {
    const alice = await join(0, uniqueName('schema'));
    alice.send(frame);
    const error = await alice.next('error');
    expect(error).toEqual({ type: 'error', code: 'schema-error', message: expect.any(String) });
    alice.send({ type: 'ping', t: 1 });
    expect(await alice.next('pong')).toEqual({ type: 'pong', t: 1 });
  });

  it('echoes the id of a refused message as ref', async () => {
    const alice = await join(0, uniqueName('ref'));
    alice.send({ type: 'offer', sdp: 7, id: 'msg-7' });
    expect(await alice.next('error')).toEqual({ type: 'error', code: 'schema-error', message: expect.stringContaining('sdp'), ref: 'msg-7' });
    alice.send({ type: 'answer', sdp: 'x', to: 'no-such-peer', id: 'msg-8' });
    expect(await alice.next('error')).toEqual({ type: 'error', code: 'unknown-peer', message: expect.any(String), ref: 'msg-8' });
  });

  it('refuses a binary frame with schema-error', async () => {
    const alice = await join(0, uniqueName('binary'));
    alice.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await alice.next('error')).toMatchObject({ type: 'error', code: 'schema-error' });
  });

  it('never lets a signal reach another room, even when `to` names a peer there', async () => {
    const roomA = uniqueName('iso-a');
    const roomB = uniqueName('iso-b');
    const alice = await join(0, roomA);
    const mallory = await join(1, roomA);
    const victim = await join(1, roomB);
    const victimFriend = await join(0, roomB);
    await victim.next('peer-joined');
    mallory.send({ type: 'offer', to: victim.peerId, sdp: 'v=0 sneaky', id: 'x1' });
    expect(await mallory.next('error')).toMatchObject({ code: 'unknown-peer', ref: 'x1' });
    mallory.send({ type: 'offer', sdp: 'v=0 roomwide' });
    expect(await alice.next('offer')).toMatchObject({ from: mallory.peerId });
    await victim.expectQuiet(300);
    await victimFriend.expectQuiet(0);
    expect(victimFriend.frames.map((frame) => frame.type)).toEqual(['welcome']);
    expect(JSON.stringify(victim.frames)).not.toContain(mallory.peerId);
  });

  it('takes state and stats reports quietly, and answers unknown-peer when `to` names no peer of the room', async () => {
    const room = uniqueName('reports');
    const alice = await join(0, room);
    const bob = await join(1, room);
    await alice.next('peer-joined');
    alice.send({ type: 'state', to: bob.peerId, connectionState: 'connecting', iceConnectionState: 'checking' });
    alice.send({ type: 'stats', to: bob.peerId, report: { rttMs: 12, localCandidateType: 'host' } });
    alice.send({ type: 'state', signalingState: 'stable' });
    await alice.expectQuiet(300);
    await bob.expectQuiet(0);
    expect(bob.frames.map((frame) => frame.type)).toEqual(['welcome']);
    alice.send({ type: 'state', to: 'not-a-peer', connectionState: 'failed', id: 'r1' });
    expect(await alice.next('error')).toMatchObject({ code: 'unknown-peer', ref: 'r1' });
  });

  it('refuses to signal yourself with unknown-peer', async () => {
    const alice = await join(0, uniqueName('self'));
    alice.send({ type: 'offer', to: alice.peerId, sdp: 'x', id: 'self' });
    expect(await alice.next('error')).toMatchObject({ code: 'unknown-peer', ref: 'self' });
  });

  it('closes with 1000 on bye and tells the others `bye`', async () => {
    const room = uniqueName('bye');
    const alice = await join(0, room);
    const bob = await join(1, room);
    bob.send({ type: 'bye' });
    expect(await bob.closed).toMatchObject({ code: 1000 });
    expect(await alice.next('peer-left')).toEqual({ type: 'peer-left', peerId: bob.peerId, reason: 'bye' });
  });

  it('reports `disconnected` when a peer closes its socket without bye', async () => {
    const room = uniqueName('disc');
    const alice = await join(1, room);
    const bob = await join(0, room);
    bob.close(1000);
    expect(await alice.next('peer-left')).toEqual({ type: 'peer-left', peerId: bob.peerId, reason: 'disconnected' });
  });

  it.each([
    ['missing room', ''],
    ['invalid room', 'room=bad%20room'],
    ['room over 64 characters', `room=${'r'.repeat(65)}`],
    ['name over 64 characters', `room=ok&name=${'n'.repeat(65)}`],
    ['repeated room', 'room=a&room=b'],
    ['unknown resume token', 'room=ok&resume=not-a-known-token'],
  ])('accepts the upgrade, sends nothing and closes with 4400 for %s', async (_, query) => {
    const client = await connect(0, query);
    expect((await client.closed).code).toBe(4400);
    expect(client.frames).toEqual([]);
  });

  it('closes with 4409 when the room is full, counting peers on both nodes', async () => {
    const room = uniqueName('full');
    await join(0, room);
    await join(1, room);
    await join(0, room);
    const fourth = await connect(1, `room=${room}`);
    expect((await fourth.closed).code).toBe(4409);
    expect(fourth.frames).toEqual([]);
  });

  it('holds capacity exactly under concurrent joins on both nodes', async () => {
    const room = uniqueName('race');
    const attempts = await Promise.all(Array.from({ length: 12 }, (_, i) => connect(i % 2, `room=${room}`)));
    const outcomes = await Promise.all(
      attempts.map(
        (client) =>
          new Promise<string>((resolve) => {
            client.next('welcome', 5_000).then(() => resolve('welcome'), () => undefined);
            client.closed.then((event) => resolve(String(event.code)));
          }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'welcome')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === '4409')).toHaveLength(9);
  });

  it('frees the seat when a peer leaves', async () => {
    const room = uniqueName('seat');
    const first = await join(0, room);
    await join(1, room);
    await join(1, room);
    first.send({ type: 'bye' });
    await first.closed;
    const again = await join(0, room);
    expect(again.welcome['peers']).toHaveLength(2);
  });

  it('closes with 1009 for a frame over MESSAGE_MAX_BYTES and tells the others', async () => {
    const room = uniqueName('big');
    const alice = await join(0, room);
    const bob = await join(1, room);
    bob.send({ type: 'offer', sdp: 'x'.repeat(70_000) });
    expect((await bob.closed).code).toBe(1009);
    expect(await alice.next('peer-left')).toMatchObject({ peerId: bob.peerId, reason: 'disconnected' });
  });

  it.each([
    ['the welcome of an admitted socket', 'room=one-write', 0x1, (payload: Buffer) => expect(JSON.parse(payload.toString())).toMatchObject({ type: 'welcome', room: 'one-write' })],
    ['the close of a refused one', 'room=bad%20room', 0x8, (payload: Buffer) => expect(payload.readUInt16BE(0)).toBe(4400)],
  ])('sends the 101 and %s in one write, the first bytes the client reads', async (_, query, opcode, checkPayload) => {
    const first = await firstRead(cluster.nodes[0].port, `/ws?${query}`);
    const headerEnd = first.indexOf('\r\n\r\n');
    expect(first.subarray(0, headerEnd).toString()).toMatch(/^HTTP\/1\.1 101 /);
    const frame = first.subarray(headerEnd + 4);
    expect(frame[0]).toBe(0x80 | opcode);
    const length = frame[1] === 126 ? frame.readUInt16BE(2) : frame[1];
    const payload = frame.subarray(frame[1] === 126 ? 4 : 2);
    expect(payload).toHaveLength(length);
    checkPayload(payload);
  });

  it('answers 404 to upgrades on other paths', async () => {
    await expect(SignalingClient.connect(`ws://127.0.0.1:${cluster.nodes[0].port}/other?room=x`)).rejects.toThrow('404');
  });
});

/** The bytes of the first read after a WebSocket upgrade request: one write of the server's arrives in one read on loopback. */
function firstRead(port: number, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.once('data', (data: Buffer) => {
      socket.destroy();
      resolve(data);
    });
    socket.once('error', reject);
  });
}

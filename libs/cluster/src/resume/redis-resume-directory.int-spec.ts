import type { NodeId, PeerId, RoomId } from '@sg/schema';
import type { RoomMember } from '@sg/room';
import type Redis from 'ioredis';
import { RedisRoomDirectory } from '../directory/redis-room-directory';
import { RedisNodeRegistry } from '../nodes/redis-node-registry';
import { REDIS_KEYS } from '../redis-keys';
import { connectTestRedis } from '../testing/connect-test-redis';
import { RedisResumeDirectory } from './redis-resume-directory';

const room = 'room-r' as RoomId;
const nodeA = 'node-a' as NodeId;
const nodeB = 'node-b' as NodeId;

function member(peerId: string, node: NodeId = nodeA): RoomMember {
  return { peerId: peerId as PeerId, node, user: null, joinedAt: 1_700_000_000_000 };
}

const peer = (id: string) => id as PeerId;

describe(RedisResumeDirectory.name, () => {
  let redis: Redis;
  let rooms: RedisRoomDirectory;
  let resumes: RedisResumeDirectory;

  beforeAll(async () => {
    redis = await connectTestRedis(9);
    rooms = new RedisRoomDirectory(redis);
    resumes = new RedisResumeDirectory(redis);
  });

  beforeEach(() => redis.flushdb());
  afterAll(() => redis.quit());

  async function seat(id: string, node: NodeId = nodeA, token = `hash-${id}`): Promise<void> {
    await rooms.join(room, member(id, node), 10, token);
  }

  it('stores the token hashed: no key or value holds anything but the hash', async () => {
    await seat('p1', nodeA, 'the-hash');

    expect(await resumes.findOwner(room, 'the-hash')).toEqual({ room, peerId: 'p1' });
    expect(await redis.exists(REDIS_KEYS.resumeToken(room, 'the-hash'))).toBe(1);
    expect(await redis.pttl(REDIS_KEYS.resumeToken(room, 'the-hash'))).toBe(-1);
    // a token is looked up in its room: in another room it names nobody
    expect(await resumes.findOwner('other-room' as RoomId, 'the-hash')).toBeNull();
  });

  it('takes a token once and moves the member to the resuming node', async () => {
    await seat('p1');
    await seat('p2', nodeB);
    await resumes.hold(room, peer('p1'), 'hash-p1', 'timeout', 10_000);

    const first = await resumes.resume(room, 'hash-p1', 'hash-p1-2', nodeB);
    const second = await resumes.resume(room, 'hash-p1', 'hash-p1-3', nodeB);

    expect(first).toEqual({ ok: true, peerId: 'p1', previousNode: nodeA, member: member('p1', nodeB), others: [member('p2', nodeB)], frames: [] });
    expect(second).toEqual({ ok: false });
    expect(await rooms.member(room, peer('p1'))).toEqual(member('p1', nodeB));
    expect(await redis.smembers(REDIS_KEYS.nodePeers(nodeA))).toEqual([]);
    expect((await redis.smembers(REDIS_KEYS.nodePeers(nodeB))).sort()).toEqual([`${room}\x1fp1`, `${room}\x1fp2`]);
    expect(await redis.zcard(REDIS_KEYS.roomHeld(room))).toBe(0);
    expect(await resumes.findOwner(room, 'hash-p1-2')).toEqual({ room, peerId: 'p1' });
  });

  it('lets one of many concurrent resumes with the same token win', async () => {
    await seat('p1');
    await resumes.hold(room, peer('p1'), 'hash-p1', 'timeout', 10_000);

    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => resumes.resume(room, 'hash-p1', `new-${i}`, nodeB)));

    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });

  it('refuses a token for another room without consuming it', async () => {
    await seat('p1');

    expect(await resumes.resume('other-room' as RoomId, 'hash-p1', 'x', nodeB)).toEqual({ ok: false });
    expect((await resumes.resume(room, 'hash-p1', 'x', nodeB)).ok).toBe(true);
  });

  it('refuses an unknown token', async () => {
    expect(await resumes.resume(room, 'never-issued', 'x', nodeB)).toEqual({ ok: false });
  });

  it('gives the token the resume window as its TTL once the peer is held', async () => {
    await seat('p1');

    expect(await resumes.hold(room, peer('p1'), 'hash-p1', 'timeout', 5_000)).toBe(true);
    const ttl = await redis.pttl(REDIS_KEYS.resumeToken(room, 'hash-p1'));
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('refuses to hold a peer for a connection that no longer holds its seat', async () => {
    await seat('p1');
    await resumes.resume(room, 'hash-p1', 'hash-p1-2', nodeB);

    expect(await resumes.hold(room, peer('p1'), 'hash-p1', 'timeout', 5_000)).toBe(false);
    expect(await redis.zcard(REDIS_KEYS.roomHeld(room))).toBe(0);
  });

  it('drops index entries of holds that ended otherwise (resumed, refused) once due, announcing nothing', async () => {
    await seat('p1');
    await seat('p2');
    await resumes.hold(room, peer('p1'), 'hash-p1', 'timeout', 200);
    await resumes.resume(room, 'hash-p1', 'hash-p1-2', nodeB);
    await resumes.resume(room, 'hash-p2', 'hash-p2-2', nodeB);
    expect(await resumes.hold(room, peer('p2'), 'hash-p2', 'timeout', 200)).toBe(false);
    expect(await redis.zcard(REDIS_KEYS.heldPeers)).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await resumes.endExpiredHolds(100)).toEqual([]);
    expect(await redis.zcard(REDIS_KEYS.heldPeers)).toBe(0);
    expect((await rooms.members(room)).map((m) => m.peerId).sort()).toEqual(['p1', 'p2']);
  });

  it('ends a peer held again after a resume at the end of its new window, not its first', async () => {
    await seat('p1');
    await resumes.hold(room, peer('p1'), 'hash-p1', 'timeout', 200);
    await resumes.resume(room, 'hash-p1', 'hash-p1-2', nodeA);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await resumes.hold(room, peer('p1'), 'hash-p1-2', 'timeout', 400);

    await new Promise((resolve) => setTimeout(resolve, 200));
    // the first hold's entry is due; the room says the current hold is not
    expect(await resumes.endExpiredHolds(100)).toEqual([]);
    expect(await rooms.member(room, peer('p1'))).toEqual(member('p1'));
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await resumes.endExpiredHolds(100)).map((hold) => hold.peerId)).toEqual(['p1']);
    expect(await redis.zcard(REDIS_KEYS.heldPeers)).toBe(0);
  });

  it('keeps an old connection from removing a peer that resumed', async () => {
    await seat('p1');
    await resumes.resume(room, 'hash-p1', 'hash-p1-2', nodeA);

    expect(await rooms.leave(room, peer('p1'), nodeA, 'hash-p1')).toEqual({ removed: false, superseded: true, remaining: [] });
    expect(await rooms.member(room, peer('p1'))).toEqual(member('p1'));
  });

  it('makes a peer that left unresumable', async () => {
    await seat('p1');
    await rooms.leave(room, peer('p1'), nodeA, 'hash-p1');

    expect(await resumes.findOwner(room, 'hash-p1')).toBeNull();
    expect(await resumes.resume(room, 'hash-p1', 'x', nodeB)).toEqual({ ok: false });
  });

  it('ends a hold only when its window is over, once, with its reason and who remains', async () => {
    await seat('p1');
    await seat('p2', nodeB);
    await resumes.hold(room, peer('p1'), 'hash-p1', 'timeout', 300);

    expect(await resumes.endExpiredHolds(100)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const [first, second] = await Promise.all([resumes.endExpiredHolds(100), resumes.endExpiredHolds(100)]);

    expect([...first, ...second]).toEqual([{ room, peerId: 'p1', reason: 'timeout', remaining: [member('p2', nodeB)] }]);
    expect(await rooms.member(room, peer('p1'))).toBeNull();
    expect(await resumes.findOwner(room, 'hash-p1')).toBeNull();
    expect(await redis.smembers(REDIS_KEYS.nodePeers(nodeA))).toEqual([]);
    expect(await redis.exists(REDIS_KEYS.resumeBuffer(room, 'p1'))).toBe(0);
  });

  it('holds every member of a dead node with node-lost, room by room, and deregisters it, once', async () => {
    const other = 'room-s' as RoomId;
    await redis.hset(REDIS_KEYS.nodes, nodeA, '{}');
    await redis.set(REDIS_KEYS.nodeRegistered(nodeA), '1');
    await seat('p1');
    await seat('p3');
    await seat('p2', nodeB);
    await rooms.join(other, member('p4'), 10, 'hash-p4');

    expect(await resumes.holdNode(nodeA, 'node-lost', 0, true)).toBe(3);
    expect(await resumes.holdNode(nodeA, 'node-lost', 0, true)).toBe(0);
    expect(await redis.hexists(REDIS_KEYS.nodes, nodeA)).toBe(0);
    // deregistered: if it was only paused, its next heartbeat learns it was reaped
    expect(await redis.exists(REDIS_KEYS.nodeRegistered(nodeA))).toBe(0);
    expect(await redis.smembers(REDIS_KEYS.nodePeers(nodeA))).toEqual([]);
    // held seats stay listed until their window ends
    expect((await rooms.listRooms()).map((entry) => [entry.room, entry.members.length])).toEqual([
      [room, 3],
      [other, 1],
    ]);
    const ended = await resumes.endExpiredHolds(100);
    expect(ended.map((hold) => [hold.room, hold.peerId, hold.reason]).sort()).toEqual([
      [room, 'p1', 'node-lost'],
      [room, 'p3', 'node-lost'],
      [other, 'p4', 'node-lost'],
    ]);
    expect(await rooms.members(other)).toEqual([]);
    expect(await redis.zcard(REDIS_KEYS.heldPeers)).toBe(0);
  });

  it('skips index entries of members that moved to another node, and drops them', async () => {
    await redis.hset(REDIS_KEYS.nodes, nodeA, '{}');
    await seat('p1');
    await resumes.resume(room, 'hash-p1', 'hash-p1-2', nodeB);
    // a stale entry, as a crash between a resume and its index update leaves
    await redis.sadd(REDIS_KEYS.nodePeers(nodeA), `${room}\x1fp1`);

    expect(await resumes.holdNode(nodeA, 'node-lost', 1_000, true)).toBe(0);
    expect(await redis.zcard(REDIS_KEYS.roomHeld(room))).toBe(0);
    expect(await redis.scard(REDIS_KEYS.nodePeers(nodeA))).toBe(0);
    expect(await redis.hexists(REDIS_KEYS.nodes, nodeA)).toBe(0);
  });

  it('with a grace, only suspects a node without its TTL key, and takes it out once the grace passed without a beat', async () => {
    const graceful = new RedisResumeDirectory(redis, 300);
    const registry = new RedisNodeRegistry(redis);
    const status = { node_id: nodeA, connections: 0, rooms: 0, started_at: 0, last_seen: 0, draining: false };
    await registry.heartbeat(status, 50, true);
    await seat('p1');
    await new Promise((resolve) => setTimeout(resolve, 80));

    expect(await graceful.holdNode(nodeA, 'node-lost', 1_000, true)).toBeNull();
    // it beats again (its slot was only away, a failover): the suspicion goes
    expect(await registry.heartbeat(status, 50, false)).toBe('alive');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await graceful.holdNode(nodeA, 'node-lost', 1_000, true)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await graceful.holdNode(nodeA, 'node-lost', 1_000, true)).toBe(1);
    expect(await registry.heartbeat(status, 50, false)).toBe('reaped');
  });

  it('leaves a node that heartbeats again alone', async () => {
    await seat('p1');
    await redis.set(REDIS_KEYS.nodeAlive(nodeA), '1');

    expect(await resumes.holdNode(nodeA, 'node-lost', 1_000, true)).toBeNull();
    expect(await redis.zcard(REDIS_KEYS.heldPeers)).toBe(0);
  });

  it('buffers frames for a held peer in order, up to the bound, and hands them over on resume', async () => {
    await seat('p1');
    await seat('p2', nodeB);
    await redis.set(REDIS_KEYS.nodeAlive(nodeA), '1');
    await resumes.hold(room, peer('p1'), 'hash-p1', 'timeout', 10_000);
    const options = { limit: 3, ttlMs: 10_000, self: nodeB, unreachable: null, keep: true };

    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push((await resumes.bufferFor(room, peer('p1'), `f${i}`, options)).kind);

    expect(outcomes).toEqual(['buffered', 'buffered', 'buffered', 'full']);
    const resumed = await resumes.resume(room, 'hash-p1', 'hash-p1-2', nodeB);
    expect(resumed.ok && resumed.frames).toEqual(['f0', 'f1', 'f2']);
    expect(await redis.exists(REDIS_KEYS.resumeBuffer(room, 'p1'))).toBe(0);
  });

  it('names the node a resumed peer is on instead of buffering', async () => {
    await seat('p1');
    await redis.set(REDIS_KEYS.nodeAlive(nodeB), '1');
    await resumes.resume(room, 'hash-p1', 'hash-p1-2', nodeB);

    expect(await resumes.bufferFor(room, peer('p1'), 'f', { limit: 3, ttlMs: 1_000, self: nodeA, unreachable: null, keep: true })).toEqual({
      kind: 'hosted',
      node: nodeB,
    });
  });

  it('buffers for a peer on a node that a publish could not reach, or that is dead', async () => {
    await seat('p1');
    await redis.set(REDIS_KEYS.nodeAlive(nodeA), '1');
    const options = { limit: 3, ttlMs: 1_000, self: nodeB, keep: true };

    expect((await resumes.bufferFor(room, peer('p1'), 'f0', { ...options, unreachable: nodeA })).kind).toBe('buffered');
    await redis.del(REDIS_KEYS.nodeAlive(nodeA));
    expect((await resumes.bufferFor(room, peer('p1'), 'f1', { ...options, unreachable: null })).kind).toBe('buffered');
    expect(await redis.pttl(REDIS_KEYS.resumeBuffer(room, 'p1'))).toBeGreaterThan(0);
  });

  it('drops frames for a peer that is gone', async () => {
    expect((await resumes.bufferFor(room, peer('nobody'), 'f', { limit: 3, ttlMs: 1_000, self: nodeA, unreachable: null, keep: true })).kind).toBe(
      'gone',
    );
  });
});

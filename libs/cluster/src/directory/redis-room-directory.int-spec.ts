import type { NodeId, PeerId, RoomId } from '@sg/schema';
import { ConnectionAttemptLimiter, type RoomMember } from '@sg/room';
import type Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';
import { RedisRateLimitStore } from '../rate-limit/redis-rate-limit-store';
import { connectTestRedis } from '../testing/connect-test-redis';
import { RedisRoomDirectory } from './redis-room-directory';

const room = 'room-1' as RoomId;

function member(peerId: string, node = 'node-a'): RoomMember {
  return { peerId: peerId as PeerId, node: node as NodeId, user: null, joinedAt: 1_700_000_000_000 };
}

describe(RedisRoomDirectory.name, () => {
  let redis: Redis;
  let directory: RedisRoomDirectory;

  beforeAll(async () => {
    redis = await connectTestRedis(1);
    directory = new RedisRoomDirectory(redis);
  });

  beforeEach(() => redis.flushdb());
  afterAll(() => redis.quit());

  it('admits up to capacity and returns the members already there', async () => {
    expect(await directory.join(room, member('p1'), 2)).toEqual({ admitted: true, others: [] });
    expect(await directory.join(room, member('p2', 'node-b'), 2)).toEqual({ admitted: true, others: [member('p1')] });
    expect(await directory.join(room, member('p3'), 2)).toEqual({ admitted: false, reason: 'full' });
  });

  it('holds capacity exactly under 50 concurrent joins from several connections', async () => {
    const connections = await Promise.all([1, 2, 3].map(() => connectTestRedis(1).then((c) => c)));
    // connectTestRedis flushes: create the others first, then race
    const directories = connections.map((connection) => new RedisRoomDirectory(connection));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => directories[i % 3].join(room, member(`p${i}`, `node-${i % 3}`), 10)),
    );
    expect(results.filter((result) => result.admitted)).toHaveLength(10);
    expect(await redis.hlen(REDIS_KEYS.room(room))).toBe(10);
    await Promise.all(connections.map((connection) => connection.quit()));
  });

  it('removes a member and returns who remains; a second leave removes nothing', async () => {
    await directory.join(room, member('p1'), 5);
    await directory.join(room, member('p2', 'node-b'), 5);
    expect(await directory.leave(room, 'p1' as PeerId, 'node-a' as NodeId)).toEqual({ removed: true, remaining: [member('p2', 'node-b')] });
    expect(await directory.leave(room, 'p1' as PeerId, 'node-a' as NodeId)).toEqual({ removed: false, remaining: [] });
    await directory.leave(room, 'p2' as PeerId, 'node-b' as NodeId);
    expect(await redis.exists(REDIS_KEYS.room(room))).toBe(0);
    expect(await redis.exists(REDIS_KEYS.nodePeers('node-a'))).toBe(0);
    expect(await redis.exists(REDIS_KEYS.nodePeers('node-b'))).toBe(0);
  });

  it("indexes each member under its node before the seat is taken, and a refused join leaves no entry", async () => {
    await directory.join(room, member('p1'), 1);
    expect(await directory.join(room, member('p2', 'node-b'), 1)).toEqual({ admitted: false, reason: 'full' });
    expect(await redis.smembers(REDIS_KEYS.nodePeers('node-a'))).toEqual([`${room}\x1fp1`]);
    expect(await redis.exists(REDIS_KEYS.nodePeers('node-b'))).toBe(0);
  });

  it("lists the rooms of every registered node's members", async () => {
    await redis.hset(REDIS_KEYS.nodes, 'node-a', '{}', 'node-b', '{}');
    await directory.join(room, member('p1'), 5);
    await directory.join('room-2' as RoomId, member('p2', 'node-b'), 5);
    await directory.join('room-2' as RoomId, member('p3'), 5);
    const listed = (await directory.listRooms()).map((entry) => ({ room: entry.room, peers: entry.members.map((m) => m.peerId).sort() }));
    expect(listed).toEqual([
      { room, peers: ['p1'] },
      { room: 'room-2', peers: ['p2', 'p3'] },
    ]);
  });

  it('looks up one member', async () => {
    await directory.join(room, member('p1'), 5);
    expect(await directory.member(room, 'p1' as PeerId)).toEqual(member('p1'));
    expect(await directory.member(room, 'nobody' as PeerId)).toBeNull();
  });

  describe('counting the connection attempt in the join (one Redis)', () => {
    const windowMs = 10_000;
    // a moment 40 % into its window: the previous window's count still weighs 0.6
    const at = 1_700_000_004_000;
    const attempt = (limit: number) => ({ key: 'conn:203.0.113.7', limit, at, windowMs });

    it('says so', () => {
      expect(directory.countsAttempts).toBe(true);
    });

    it('admits within the limit and refuses past it, touching neither the room nor the index', async () => {
      expect(await directory.join(room, member('p1'), 5, undefined, attempt(2))).toEqual({ admitted: true, others: [] });
      expect(await directory.join(room, member('p2'), 5, undefined, attempt(2))).toEqual({ admitted: true, others: [member('p1')] });
      expect(await directory.join(room, member('p3'), 5, undefined, attempt(2))).toEqual({ admitted: false, reason: 'rate-limited' });

      expect((await directory.members(room)).map((m) => m.peerId).sort()).toEqual(['p1', 'p2']);
      expect((await redis.smembers(REDIS_KEYS.nodePeers('node-a'))).sort()).toEqual([`${room}\x1fp1`, `${room}\x1fp2`]);
    });

    it('counts a refused attempt too, and a full room after the count', async () => {
      await directory.join(room, member('p1'), 1, undefined, attempt(2));
      expect(await directory.join(room, member('p2'), 1, undefined, attempt(2))).toEqual({ admitted: false, reason: 'full' });
      expect(await directory.join('room-2' as RoomId, member('p3'), 1, undefined, attempt(2))).toEqual({ admitted: false, reason: 'rate-limited' });
    });

    it("adds to the limiter's own counter and weighs the previous window as it does", async () => {
      const limiter = new ConnectionAttemptLimiter(new RedisRateLimitStore(redis, windowMs), 5, () => at, windowMs);
      // 5 attempts in the previous window weigh 3; 2 more in this one make 5, the limit
      await redis.set(REDIS_KEYS.rateLimit('conn:203.0.113.7', Math.floor(at / windowMs) - 1), '5');
      expect((await limiter.attempt('203.0.113.7')).allowed).toBe(true);
      expect(await directory.join(room, member('p1'), 9, undefined, attempt(5))).toMatchObject({ admitted: true });
      expect(await directory.join(room, member('p2'), 9, undefined, attempt(5))).toEqual({ admitted: false, reason: 'rate-limited' });
      expect((await limiter.attempt('203.0.113.7')).allowed).toBe(false);
      expect(Number(await redis.get(REDIS_KEYS.rateLimit('conn:203.0.113.7', Math.floor(at / windowMs))))).toBe(4);
      expect(await redis.pttl(REDIS_KEYS.rateLimit('conn:203.0.113.7', Math.floor(at / windowMs)))).toBeGreaterThan(windowMs);
    });
  });
});

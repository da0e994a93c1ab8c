import type { NodeId, PeerId, RoomId } from '@sg/schema';
import { JoinAttempt, JoinRoomResult, LeaveRoomResult, RoomDirectory, RoomMember, windowOf } from '@sg/room';
import type { default as Redis } from 'ioredis';
import { ClusterRedis, defineClusterCommands } from '../lua/define-cluster-commands';
import { isRedisCluster, type RedisConnection } from '../redis-connection';
import { rateCounterTtlMs } from '../rate-limit/redis-rate-limit-store';
import { MEMBER_ENTRY_SEPARATOR, REDIS_KEYS } from '../redis-keys';

/** sgCountAttemptThenJoinRoom's answer for an attempt over its limit. */
const ATTEMPT_REFUSED = 2;

/**
 * Room membership in Redis hashes, changed only by atomic Lua scripts on the room's slot.
 * Each node keeps an index of the members it hosts (`nodePeers`, on the node's slot),
 * written before a seat is taken and dropped after it is given up, so the index may name
 * a member that is gone (skipped wherever it is read) but never misses one.
 */
export class RedisRoomDirectory extends RoomDirectory {
  private readonly redis: ClusterRedis;
  /** One Redis runs a connection's commands in the order sent; a cluster spreads them over masters. */
  private readonly ordered: boolean;

  constructor(redis: RedisConnection) {
    super();
    this.redis = defineClusterCommands(redis);
    this.ordered = !isRedisCluster(redis);
  }

  /** On one Redis the attempt's counter and the room's keys can share a script; on a cluster they are on different slots. */
  override get countsAttempts(): boolean {
    return this.ordered;
  }

  async join(room: RoomId, member: RoomMember, capacity: number, resumeTokenHash?: string, attempt?: JoinAttempt): Promise<JoinRoomResult> {
    if (attempt && !this.ordered) throw new Error('a Redis Cluster cannot count the attempt with the join: count it first');
    const entry = memberEntry(room, member.peerId);
    const roomKeys = [
      REDIS_KEYS.room(room),
      REDIS_KEYS.roomResumeTokens(room),
      resumeTokenHash === undefined ? REDIS_KEYS.resumeTokenPrefix(room) : REDIS_KEYS.resumeToken(room, resumeTokenHash),
    ] as const;
    const joinArgs = [member.peerId, JSON.stringify(member), String(capacity), resumeTokenHash ?? ''] as const;
    const index = REDIS_KEYS.nodePeers(member.node);
    let reply: [number, string[]?];
    if (this.ordered) {
      // indexed first, as below, but both commands leave in one write: one Redis runs a connection's
      // commands in order, so the SADD still lands before the seat is taken, and a join costs one
      // socket write and one wake-up for the reply less (docs/benchmarks.md, joins). Corked rather
      // than an ioredis pipeline, whose objects cost more than the write they save.
      const stream = (this.redis as Redis).stream as Redis['stream'] | undefined;
      stream?.cork();
      const indexed = this.redis.sadd(index, entry);
      const joined = attempt ? this.countAttemptThenJoin(roomKeys, joinArgs, attempt) : this.redis.sgJoinRoom(...roomKeys, ...joinArgs);
      stream?.uncork();
      const [indexOutcome, joinOutcome] = await Promise.allSettled([indexed, joined]);
      if (joinOutcome.status === 'rejected') throw joinOutcome.reason;
      reply = joinOutcome.value as [number, string[]?];
      // a seat without its index entry would not be freed if this node died: undone by the caller's failure path
      if (indexOutcome.status === 'rejected' && reply[0] === 1) throw indexOutcome.reason;
    } else {
      // indexed first: a seat whose node dies must be found by the survivors
      await this.redis.sadd(index, entry);
      reply = (await this.redis.sgJoinRoom(...roomKeys, ...joinArgs)) as [number, string[]?];
    }
    if (reply[0] === ATTEMPT_REFUSED) {
      await this.unindex(member.node, entry);
      return { admitted: false, reason: 'rate-limited' };
    }
    if (reply[0] !== 1) {
      await this.unindex(member.node, entry);
      return { admitted: false, reason: 'full' };
    }
    return { admitted: true, others: parseMembers(reply[1]) };
  }

  async leave(room: RoomId, peerId: PeerId, node: NodeId, resumeTokenHash?: string): Promise<LeaveRoomResult> {
    const reply = (await this.redis.sgLeaveRoom(
      REDIS_KEYS.room(room),
      REDIS_KEYS.roomResumeTokens(room),
      REDIS_KEYS.roomHeld(room),
      REDIS_KEYS.roomHeldReasons(room),
      peerId,
      resumeTokenHash ?? '',
      REDIS_KEYS.resumeTokenPrefix(room),
      REDIS_KEYS.resumeBufferPrefix(room),
    )) as [number, (string[] | number)?];
    if (reply[0] === 1) {
      await this.unindex(node, memberEntry(room, peerId));
      return { removed: true, remaining: parseMembers(reply[1] as string[]) };
    }
    // superseded: the seat is a newer connection's, maybe on this very node, so its entry stays
    if (reply[1] === 1) return { removed: false, superseded: true, remaining: [] };
    await this.unindex(node, memberEntry(room, peerId));
    return { removed: false, remaining: [] };
  }

  async member(room: RoomId, peerId: PeerId): Promise<RoomMember | null> {
    const json = await this.redis.hget(REDIS_KEYS.room(room), peerId);
    return json ? (JSON.parse(json) as RoomMember) : null;
  }

  async members(room: RoomId): Promise<RoomMember[]> {
    return parseMembers(await this.redis.hvals(REDIS_KEYS.room(room)));
  }

  /**
   * Every live room and its members, for the admin API: the rooms named by the member
   * index of every registered node and by the holds not ended yet (a dead node's peers
   * leave its index once held), each read from its own hash.
   */
  async listRooms(): Promise<Array<{ room: RoomId; members: RoomMember[] }>> {
    const nodes = await this.redis.hkeys(REDIS_KEYS.nodes);
    const [indexes, held] = await Promise.all([
      Promise.all(nodes.map((node) => this.redis.smembers(REDIS_KEYS.nodePeers(node)))),
      this.redis.zrange(REDIS_KEYS.heldPeers, 0, -1),
    ]);
    const rooms = [...new Set([...indexes.flat(), ...held].map((entry) => entry.split(MEMBER_ENTRY_SEPARATOR)[0]))].sort();
    const members = await Promise.all(rooms.map((room) => this.redis.hvals(REDIS_KEYS.room(room))));
    return rooms.map((room, i) => ({ room: room as RoomId, members: parseMembers(members[i]) })).filter((entry) => entry.members.length > 0);
  }

  /** The attempt's counter in RedisRateLimitStore's keys and window (ConnectionAttemptLimiter), then the join. */
  private countAttemptThenJoin(roomKeys: readonly [string, string, string], joinArgs: readonly string[], attempt: JoinAttempt): Promise<unknown> {
    const window = windowOf(attempt.at, attempt.windowMs);
    const previousWeight = 1 - (attempt.at - window * attempt.windowMs) / attempt.windowMs;
    return this.redis.sgCountAttemptThenJoinRoom(
      ...roomKeys,
      REDIS_KEYS.rateLimit(attempt.key, window),
      REDIS_KEYS.rateLimit(attempt.key, window - 1),
      ...joinArgs,
      String(attempt.limit),
      String(rateCounterTtlMs(attempt.windowMs)),
      String(previousWeight),
    );
  }

  /** Drops a node's index entry; if that fails the entry is only stale, and skipped wherever it is read. */
  private async unindex(node: NodeId, entry: string): Promise<void> {
    await this.redis.srem(REDIS_KEYS.nodePeers(node), entry).catch(() => undefined);
  }
}

export function memberEntry(room: RoomId | string, peerId: PeerId | string): string {
  return `${room}${MEMBER_ENTRY_SEPARATOR}${peerId}`;
}

function parseMembers(values: string[] | undefined): RoomMember[] {
  return (values ?? []).map((json) => JSON.parse(json) as RoomMember);
}

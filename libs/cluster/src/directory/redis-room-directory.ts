import type { NodeId, PeerId, RoomId } from '@sg/schema';
import { JoinRoomResult, LeaveRoomResult, RoomDirectory, RoomMember } from '@sg/room';
import { ClusterRedis, defineClusterCommands } from '../lua/define-cluster-commands';
import type { RedisConnection } from '../redis-connection';
import { MEMBER_ENTRY_SEPARATOR, REDIS_KEYS } from '../redis-keys';

/**
 * Room membership in Redis hashes, changed only by atomic Lua scripts on the room's slot.
 * Each node keeps an index of the members it hosts (`nodePeers`, on the node's slot),
 * written before a seat is taken and dropped after it is given up, so the index may name
 * a member that is gone (skipped wherever it is read) but never misses one.
 */
export class RedisRoomDirectory extends RoomDirectory {
  private readonly redis: ClusterRedis;

  constructor(redis: RedisConnection) {
    super();
    this.redis = defineClusterCommands(redis);
  }

  async join(room: RoomId, member: RoomMember, capacity: number, resumeTokenHash?: string): Promise<JoinRoomResult> {
    const entry = memberEntry(room, member.peerId);
    // indexed first: a seat whose node dies must be found by the survivors
    await this.redis.sadd(REDIS_KEYS.nodePeers(member.node), entry);
    const reply = (await this.redis.sgJoinRoom(
      REDIS_KEYS.room(room),
      REDIS_KEYS.roomResumeTokens(room),
      resumeTokenHash === undefined ? REDIS_KEYS.resumeTokenPrefix(room) : REDIS_KEYS.resumeToken(room, resumeTokenHash),
      member.peerId,
      JSON.stringify(member),
      String(capacity),
      resumeTokenHash ?? '',
    )) as [number, string[]?];
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

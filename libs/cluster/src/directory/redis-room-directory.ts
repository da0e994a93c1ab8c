import type { NodeId, PeerId, RoomId } from '@sg/schema';
import { JoinRoomResult, LeaveRoomResult, RoomDirectory, RoomMember } from '@sg/room';
import type Redis from 'ioredis';
import { ClusterRedis, defineClusterCommands } from '../lua/define-cluster-commands';
import { MEMBER_ENTRY_SEPARATOR, REDIS_KEYS } from '../redis-keys';

/** Room membership in Redis hashes, changed only by atomic Lua scripts. */
export class RedisRoomDirectory extends RoomDirectory {
  private readonly redis: ClusterRedis;

  constructor(redis: Redis) {
    super();
    this.redis = defineClusterCommands(redis);
  }

  async join(room: RoomId, member: RoomMember, capacity: number, resumeTokenHash?: string): Promise<JoinRoomResult> {
    const reply = (await this.redis.sgJoinRoom(
      REDIS_KEYS.room(room),
      REDIS_KEYS.rooms,
      REDIS_KEYS.nodePeers(member.node),
      room,
      member.peerId,
      JSON.stringify(member),
      String(capacity),
      memberEntry(room, member.peerId),
      resumeTokenHash === undefined ? '' : REDIS_KEYS.resumeToken(resumeTokenHash),
      REDIS_KEYS.roomResumeTokens(room),
      resumeTokenHash ?? '',
    )) as [number, string[]?];
    if (reply[0] !== 1) return { admitted: false, reason: 'full' };
    return { admitted: true, others: parseMembers(reply[1]) };
  }

  async leave(room: RoomId, peerId: PeerId, node: NodeId, resumeTokenHash?: string): Promise<LeaveRoomResult> {
    const reply = (await this.redis.sgLeaveRoom(
      REDIS_KEYS.room(room),
      REDIS_KEYS.rooms,
      REDIS_KEYS.nodePeers(node),
      room,
      peerId,
      memberEntry(room, peerId),
      resumeTokenHash ?? '',
      REDIS_KEYS.resumeTokenPrefix,
      REDIS_KEYS.roomResumeTokensPrefix,
      REDIS_KEYS.resumeBufferPrefix,
      REDIS_KEYS.heldPeers,
      REDIS_KEYS.heldPeerReasons,
    )) as [number, (string[] | number)?];
    if (reply[0] === 1) return { removed: true, remaining: parseMembers(reply[1] as string[]) };
    return reply[1] === 1 ? { removed: false, superseded: true, remaining: [] } : { removed: false, remaining: [] };
  }

  async member(room: RoomId, peerId: PeerId): Promise<RoomMember | null> {
    const json = await this.redis.hget(REDIS_KEYS.room(room), peerId);
    return json ? (JSON.parse(json) as RoomMember) : null;
  }

  async members(room: RoomId): Promise<RoomMember[]> {
    return parseMembers(await this.redis.hvals(REDIS_KEYS.room(room)));
  }

  /** Every live room and its members, for the admin API. */
  async listRooms(): Promise<Array<{ room: RoomId; members: RoomMember[] }>> {
    const rooms = (await this.redis.smembers(REDIS_KEYS.rooms)).sort();
    if (rooms.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const room of rooms) pipeline.hvals(REDIS_KEYS.room(room));
    const replies = (await pipeline.exec()) ?? [];
    return rooms
      .map((room, i) => ({ room: room as RoomId, members: parseMembers(replies[i]?.[1] as string[] | undefined) }))
      .filter((entry) => entry.members.length > 0);
  }
}

function memberEntry(room: RoomId, peerId: PeerId): string {
  return `${room}${MEMBER_ENTRY_SEPARATOR}${peerId}`;
}

function parseMembers(values: string[] | undefined): RoomMember[] {
  return (values ?? []).map((json) => JSON.parse(json) as RoomMember);
}

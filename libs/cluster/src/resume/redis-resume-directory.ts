import type { NodeId, PeerId, PeerLeftReason, RoomId } from '@sg/schema';
import {
  BufferForPeerOptions,
  BufferForPeerOutcome,
  EndedHold,
  ResumeDirectory,
  ResumePeerResult,
  ResumeTokenOwner,
  RoomMember,
} from '@sg/room';
import type Redis from 'ioredis';
import { MEMBER_ENTRY_SEPARATOR, REDIS_KEYS } from '../redis-keys';
import { defineResumeCommands, ResumeRedis } from './define-resume-commands';

/**
 * Resumable seats in Redis: token hashes, held peers in one ZSET scored by the end
 * of their window (on Redis's clock, so nodes' clocks never disagree), and a
 * bounded frame list per held peer. Every change is one Lua script.
 */
export class RedisResumeDirectory extends ResumeDirectory {
  private readonly redis: ResumeRedis;

  constructor(redis: Redis) {
    super();
    this.redis = defineResumeCommands(redis);
  }

  async findOwner(tokenHash: string): Promise<ResumeTokenOwner | null> {
    const entry = await this.redis.get(REDIS_KEYS.resumeToken(tokenHash));
    return entry === null ? null : splitEntry(entry);
  }

  async resume(room: RoomId, tokenHash: string, newTokenHash: string, node: NodeId): Promise<ResumePeerResult> {
    const reply = (await this.redis.sgResumePeer(
      REDIS_KEYS.room(room),
      REDIS_KEYS.roomResumeTokens(room),
      REDIS_KEYS.heldPeers,
      REDIS_KEYS.heldPeerReasons,
      room,
      tokenHash,
      newTokenHash,
      node,
      REDIS_KEYS.resumeTokenPrefix,
      REDIS_KEYS.nodePeersPrefix,
      REDIS_KEYS.resumeBufferPrefix,
      MEMBER_ENTRY_SEPARATOR,
    )) as [number, string?, string?, string?, string[]?, string[]?];
    if (reply[0] !== 1) return { ok: false };
    const [, peerId, previousNode, member, others, frames] = reply;
    return {
      ok: true,
      peerId: peerId as PeerId,
      previousNode: previousNode as NodeId,
      member: JSON.parse(member as string) as RoomMember,
      others: (others ?? []).map((json) => JSON.parse(json) as RoomMember),
      frames: frames ?? [],
    };
  }

  async hold(room: RoomId, peerId: PeerId, tokenHash: string | null, reason: PeerLeftReason, windowMs: number): Promise<boolean> {
    const reply = await this.redis.sgHoldPeer(
      REDIS_KEYS.room(room),
      REDIS_KEYS.roomResumeTokens(room),
      REDIS_KEYS.heldPeers,
      REDIS_KEYS.heldPeerReasons,
      peerId,
      tokenHash ?? '',
      entryOf(room, peerId),
      reason,
      String(windowMs),
      REDIS_KEYS.resumeTokenPrefix,
    );
    return reply === 1;
  }

  async holdNode(node: NodeId, reason: PeerLeftReason, windowMs: number, mustBeDead: boolean): Promise<number | null> {
    const reply = (await this.redis.sgHoldNode(
      REDIS_KEYS.nodes,
      REDIS_KEYS.nodeAlive(node),
      REDIS_KEYS.nodePeers(node),
      REDIS_KEYS.heldPeers,
      REDIS_KEYS.heldPeerReasons,
      node,
      reason,
      String(windowMs),
      REDIS_KEYS.roomPrefix,
      REDIS_KEYS.roomResumeTokensPrefix,
      REDIS_KEYS.resumeTokenPrefix,
      MEMBER_ENTRY_SEPARATOR,
      mustBeDead ? '1' : '0',
    )) as number;
    return reply < 0 ? null : reply;
  }

  async endExpiredHolds(limit: number): Promise<EndedHold[]> {
    const reply = (await this.redis.sgExpireHeldPeers(
      REDIS_KEYS.heldPeers,
      REDIS_KEYS.heldPeerReasons,
      REDIS_KEYS.rooms,
      REDIS_KEYS.roomPrefix,
      REDIS_KEYS.roomResumeTokensPrefix,
      REDIS_KEYS.resumeTokenPrefix,
      REDIS_KEYS.resumeBufferPrefix,
      REDIS_KEYS.nodePeersPrefix,
      MEMBER_ENTRY_SEPARATOR,
      String(limit),
    )) as Array<[string, string, string, string[]]>;
    return reply.map(([room, peerId, reason, remaining]) => ({
      room: room as RoomId,
      peerId: peerId as PeerId,
      reason: reason as PeerLeftReason,
      remaining: remaining.map((json) => JSON.parse(json) as RoomMember),
    }));
  }

  async bufferFor(room: RoomId, peerId: PeerId, frame: string, options: BufferForPeerOptions): Promise<BufferForPeerOutcome> {
    const reply = (await this.redis.sgBufferForPeer(
      REDIS_KEYS.room(room),
      REDIS_KEYS.heldPeers,
      REDIS_KEYS.resumeBuffer(room, peerId),
      peerId,
      entryOf(room, peerId),
      frame,
      String(options.limit),
      String(Math.max(1, options.ttlMs)),
      options.self,
      options.unreachable ?? '',
      REDIS_KEYS.nodeAlivePrefix,
      options.keep ? '1' : '0',
    )) as [number, string?];
    switch (reply[0]) {
      case 1:
        return { kind: 'buffered' };
      case 2:
        return { kind: 'full' };
      case 3:
        return { kind: 'hosted', node: reply[1] as NodeId };
      case 4:
        return { kind: 'unreachable' };
      default:
        return { kind: 'gone' };
    }
  }
}

function entryOf(room: RoomId, peerId: PeerId): string {
  return `${room}${MEMBER_ENTRY_SEPARATOR}${peerId}`;
}

function splitEntry(entry: string): ResumeTokenOwner | null {
  const at = entry.indexOf(MEMBER_ENTRY_SEPARATOR);
  if (at < 0) return null;
  return { room: entry.slice(0, at) as RoomId, peerId: entry.slice(at + 1) as PeerId };
}

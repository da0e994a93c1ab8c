import { randomBytes } from 'node:crypto';
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
import { memberEntry } from '../directory/redis-room-directory';
import { ClusterRedis, defineClusterCommands } from '../lua/define-cluster-commands';
import type { RedisConnection } from '../redis-connection';
import { MEMBER_ENTRY_SEPARATOR, REDIS_KEYS } from '../redis-keys';
import { defineResumeCommands, ResumeRedis } from './define-resume-commands';

/** Index members read per round of a sweep. */
const DUE_BATCH = 500;
/** How long index members a sweep took stay hidden from other sweeps: far longer than one round takes. */
const SWEEP_LEASE_MS = 10_000;
/** Entries per index command when a node's whole index is walked. */
const ENTRIES_PER_CALL = 500;

type RoomKeys = [string, string, string, string];

/**
 * Resumable seats in Redis: token hashes, held peers per room scored by the end of their
 * window (on the room's Redis clock, so nodes' clocks never disagree), and a bounded frame
 * list per held peer. Every change to a room is one Lua script on the room's slot. The
 * sweep finds holds through an index (`heldPeers`) written before each hold, and a dead
 * node's members through its member index, walked room by room: no script spans two rooms,
 * so all of it works on a Redis Cluster as on one Redis.
 */
export class RedisResumeDirectory extends ResumeDirectory {
  private readonly redis: ResumeRedis & ClusterRedis;

  /**
   * @param deadNodeGraceMs how long a node must stay without its TTL key before it is taken out
   * (see `CLAIM_NODE_LUA`): 0 on one Redis; on a Redis Cluster about a TTL, so a node whose
   * slot's master failed over for longer than the TTL is not reaped.
   */
  constructor(
    redis: RedisConnection,
    private readonly deadNodeGraceMs = 0,
  ) {
    super();
    this.redis = defineClusterCommands(defineResumeCommands(redis)) as ResumeRedis & ClusterRedis;
  }

  async findOwner(room: RoomId, tokenHash: string): Promise<ResumeTokenOwner | null> {
    const peerId = await this.redis.get(REDIS_KEYS.resumeToken(room, tokenHash));
    return peerId === null ? null : { room, peerId: peerId as PeerId };
  }

  async resume(room: RoomId, tokenHash: string, newTokenHash: string, node: NodeId): Promise<ResumePeerResult> {
    const owner = await this.findOwner(room, tokenHash);
    if (!owner) return { ok: false };
    const entry = memberEntry(room, owner.peerId);
    // indexed on this node before it hosts the peer, so it is found if this node dies
    await this.redis.sadd(REDIS_KEYS.nodePeers(node), entry);
    const reply = (await this.redis.sgResumePeer(
      ...roomKeys(room),
      tokenHash,
      newTokenHash,
      node,
      REDIS_KEYS.resumeTokenPrefix(room),
      REDIS_KEYS.resumeBufferPrefix(room),
    )) as [number, string?, string?, string?, string[]?, string[]?];
    if (reply[0] !== 1) {
      // the peer is not here (unless it already was): the entry just added is stale
      if (reply[1] !== node) await this.unindex(node, entry);
      return { ok: false };
    }
    const [, peerId, previousNode, member, others, frames] = reply;
    if (previousNode !== node) await this.unindex(previousNode as NodeId, entry);
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
    // indexed first: a hold the sweep cannot find would keep its seat for ever
    await this.redis.sgIndexHolds(REDIS_KEYS.heldPeers, String(windowMs), indexMember(room, peerId));
    const reply = await this.redis.sgHoldPeer(...roomKeys(room), peerId, tokenHash ?? '', reason, String(windowMs), REDIS_KEYS.resumeTokenPrefix(room));
    return reply === 1;
  }

  /**
   * Takes a node out (deregistered first, so a node that was only paused learns it was reaped;
   * on a cluster only once it stayed without its TTL key for the grace),
   * then walks its member index room by room: each room's members of the node are held in one
   * script on the room's slot, and leave the index once held. The node leaves the registry
   * when its index is empty; a walk cut short is taken up by the next sweep.
   */
  async holdNode(node: NodeId, reason: PeerLeftReason, windowMs: number, mustBeDead: boolean): Promise<number | null> {
    const must = mustBeDead ? '1' : '0';
    const claimed = await this.redis.sgClaimNode(
      REDIS_KEYS.nodeAlive(node),
      REDIS_KEYS.nodeRegistered(node),
      REDIS_KEYS.nodePeers(node),
      REDIS_KEYS.nodeSuspect(node),
      must,
      String(this.deadNodeGraceMs),
    );
    if (claimed === -1) return null;
    const entries = claimed as string[];
    const byRoom = new Map<string, string[]>();
    for (const entry of entries) {
      const [room, peer] = splitEntry(entry);
      if (room === null) continue;
      byRoom.set(room, [...(byRoom.get(room) ?? []), peer]);
    }
    for (let start = 0; start < entries.length; start += ENTRIES_PER_CALL) {
      const chunk = entries.slice(start, start + ENTRIES_PER_CALL).map((entry) => `${entry}${MEMBER_ENTRY_SEPARATOR}${nonce()}`);
      await this.redis.sgIndexHolds(REDIS_KEYS.heldPeers, String(windowMs), ...chunk);
    }
    const held = await Promise.all(
      [...byRoom].map(([room, peers]) =>
        this.redis.sgHoldMembers(...roomKeys(room), node, reason, String(windowMs), REDIS_KEYS.resumeTokenPrefix(room), ...peers) as Promise<number>,
      ),
    );
    for (let start = 0; start < entries.length; start += ENTRIES_PER_CALL) {
      await this.redis.srem(REDIS_KEYS.nodePeers(node), ...entries.slice(start, start + ENTRIES_PER_CALL));
    }
    if ((await this.redis.sgNodeGone(REDIS_KEYS.nodeAlive(node), REDIS_KEYS.nodePeers(node), must)) === 1) {
      await this.redis.hdel(REDIS_KEYS.nodes, node);
    }
    return held.reduce((sum, count) => sum + Number(count), 0);
  }

  /**
   * Takes the index members due now and asks each room, in one script per room, to end
   * those holds whose window is over; a member leaves the index once its room says the
   * hold ended or is gone (resumed, left), and moves to the room's deadline otherwise.
   * A round cut short by an error leaves its members to come due again after the lease.
   */
  async endExpiredHolds(limit: number): Promise<EndedHold[]> {
    const ended: EndedHold[] = [];
    while (ended.length < limit) {
      const due = (await this.redis.sgDueHolds(REDIS_KEYS.heldPeers, String(DUE_BATCH), String(SWEEP_LEASE_MS))) as string[];
      if (due.length === 0) break;
      const byRoom = new Map<string, Map<string, string[]>>();
      const malformed: string[] = [];
      for (const member of due) {
        const [room, peer] = splitEntry(member);
        if (room === null) {
          malformed.push(member);
          continue;
        }
        const peers = byRoom.get(room) ?? new Map<string, string[]>();
        peers.set(peer, [...(peers.get(peer) ?? []), member]);
        byRoom.set(room, peers);
      }
      const done: string[] = [...malformed];
      const later: string[] = [];
      await Promise.all(
        [...byRoom].map(async ([room, peers]) => {
          const reply = (await this.redis.sgEndHolds(
            ...roomKeys(room),
            REDIS_KEYS.resumeTokenPrefix(room),
            REDIS_KEYS.resumeBufferPrefix(room),
            ...peers.keys(),
          )) as Array<[string, number, (string | number)?, string?, string[]?]>;
          for (const [peer, status, reasonOrMs, node, remaining] of reply) {
            const members = peers.get(peer) ?? [];
            if (status === 2) {
              for (const member of members) later.push(member, String(reasonOrMs));
              continue;
            }
            done.push(...members);
            if (status !== 1) continue;
            ended.push({
              room: room as RoomId,
              peerId: peer as PeerId,
              reason: reasonOrMs as PeerLeftReason,
              remaining: (remaining ?? []).map((json) => JSON.parse(json) as RoomMember),
            });
            await this.unindex(node as NodeId, memberEntry(room, peer));
          }
        }),
      );
      if (later.length > 0) await this.redis.sgRescheduleHolds(REDIS_KEYS.heldPeers, ...later);
      if (done.length > 0) await this.redis.zrem(REDIS_KEYS.heldPeers, ...done);
      if (due.length < DUE_BATCH) break;
    }
    return ended;
  }

  async bufferFor(room: RoomId, peerId: PeerId, frame: string, options: BufferForPeerOptions): Promise<BufferForPeerOutcome> {
    const attempt = async (hostDead: boolean) =>
      (await this.redis.sgBufferForPeer(
        REDIS_KEYS.room(room),
        REDIS_KEYS.roomHeld(room),
        REDIS_KEYS.resumeBuffer(room, peerId),
        peerId,
        frame,
        String(options.limit),
        String(Math.max(1, options.ttlMs)),
        options.self,
        options.unreachable ?? '',
        options.keep ? '1' : '0',
        hostDead ? '1' : '0',
      )) as [number, string?];
    let reply = await attempt(false);
    // hosted elsewhere: reachable only if that node is alive (its key is of the node's slot)
    if (reply[0] === 3 && (await this.redis.exists(REDIS_KEYS.nodeAlive(reply[1] as string))) === 0) reply = await attempt(true);
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

  private async unindex(node: NodeId, entry: string): Promise<void> {
    await this.redis.srem(REDIS_KEYS.nodePeers(node), entry).catch(() => undefined);
  }
}

function roomKeys(room: RoomId | string): RoomKeys {
  return [REDIS_KEYS.room(room), REDIS_KEYS.roomResumeTokens(room), REDIS_KEYS.roomHeld(room), REDIS_KEYS.roomHeldReasons(room)];
}

/** An index member of its own for each hold, so ending an old one never removes a newer one. */
function indexMember(room: RoomId | string, peerId: PeerId | string): string {
  return `${memberEntry(room, peerId)}${MEMBER_ENTRY_SEPARATOR}${nonce()}`;
}

function nonce(): string {
  return randomBytes(6).toString('base64url');
}

/** `room<US>peer[<US>nonce]` -> [room, peer], or [null, ''] when malformed. */
function splitEntry(entry: string): [string | null, string] {
  const parts = entry.split(MEMBER_ENTRY_SEPARATOR);
  if (parts.length < 2 || parts[0] === '' || parts[1] === '') return [null, ''];
  return [parts[0], parts[1]];
}

import type { NodeId, PeerId, PeerLeftReason, RoomId } from '@sg/schema';
import type { NodeMessage } from '../ports/node-message';
import type { PeerBus } from '../ports/peer-bus';
import type { PeerSink } from '../ports/peer-sink';
import { frameText, type SerializedFrame } from '../ports/serialized-frame';
import type { RoomMember } from '../room-member';
import { groupByNode } from './group-by-node';
import { LocalRoom } from './local-room';
import { routeSignal, RouteSignalResult } from './route-signal';

/** Told about every frame handed to a local peer (metrics, negotiation timing). */
export interface DeliveryObserver {
  delivered(room: RoomId, to: PeerId, type: string, from: PeerId | undefined): void;
}

/**
 * Takes the frames this node cannot hand to a socket: for a held peer, a peer that
 * resumed elsewhere, or one on a node that did not receive its publish (see HandOverRelay).
 */
export type UndeliverableHandler = (
  room: RoomId,
  peerId: PeerId,
  frame: string,
  type: string,
  from: PeerId | undefined,
  unreachable: NodeId | null,
) => void;

/**
 * This node's rooms: who is in them (all nodes), which peers are local, and
 * delivery of frames to peers wherever they are. Local peers take the fast
 * path; remote ones cost one bus publish per node. Pure: no sockets, no Redis.
 */
export class RoomHub {
  private readonly rooms = new Map<RoomId, LocalRoom>();
  private undeliverable: UndeliverableHandler = () => undefined;

  constructor(
    private readonly node: NodeId,
    private readonly bus: PeerBus,
    private readonly observer: DeliveryObserver,
    private readonly now: () => number = Date.now,
  ) {}

  get roomCount(): number {
    return this.rooms.size;
  }

  /** Where frames go that no local socket can take (set once, at start). */
  onUndeliverable(handler: UndeliverableHandler): void {
    this.undeliverable = handler;
  }

  /**
   * Reserves the slot of a peer resuming on this node. A socket of the same peer
   * still attached here (the peer reconnected before its old socket was found dead)
   * is superseded: it must not speak for the peer any more.
   */
  beginResume(room: RoomId, peerId: PeerId): void {
    this.rooms.get(room)?.slots.get(peerId)?.sink?.superseded?.();
    this.beginJoin(room, peerId);
  }

  /**
   * A resume succeeded: learn the members, send the new `welcome`, the frames
   * buffered while the peer was away, then what queued during the resume; the
   * others see no `peer-joined` (PROTOCOL section 1). Nodes hosting the others,
   * and the node that hosted the peer before, learn its new node.
   */
  completeResume(self: RoomMember, room: RoomId, others: RoomMember[], sink: PeerSink, welcome: string, buffered: readonly string[], previousNode: NodeId): void {
    const localRoom = this.rooms.get(room);
    const slot = localRoom?.slots.get(self.peerId);
    if (!localRoom || !slot) throw new Error(`no pending resume for ${self.peerId}`);
    for (const member of others) {
      if (!localRoom.departedWhilePending.has(member.peerId)) localRoom.members.set(member.peerId, member);
    }
    localRoom.members.set(self.peerId, self);
    const queued = slot.queue ?? [];
    slot.queue = null;
    slot.sink = sink;
    if (!localRoom.hasPendingJoin) localRoom.departedWhilePending.clear();
    sink.send(welcome);
    for (const frame of buffered) sink.send(frame);
    for (const frame of queued) sink.send(frame);
    const nodes = new Set(others.map((member) => member.node));
    nodes.add(previousNode);
    nodes.delete(this.node);
    const sentAt = this.now();
    // no frame for anyone: the receivers only update the member's node in their view
    for (const node of nodes) this.bus.publish(node, { room, to: [], frame: '', type: 'peer-moved', sentAt, joined: self });
  }

  /** A frame for a local peer, without the hand-over fallback; false if it has no slot here. */
  deliverHere(room: RoomId, peerId: PeerId, frame: string, type: string, from: PeerId | undefined): boolean {
    const localRoom = this.rooms.get(room);
    if (!localRoom?.deliverTo(peerId, frame)) return false;
    this.observer.delivered(room, peerId, type, from);
    return true;
  }

  /**
   * A publish reached no subscriber: the receiving node is dead or gone, so its peers' frames
   * are handed over. A peer that has resumed here meanwhile gets its frame directly: on a
   * Redis Cluster such a publish comes back only once its node was taken out.
   */
  undelivered(node: NodeId, message: NodeMessage): void {
    for (const peerId of message.to) {
      if (this.deliverHere(message.room, peerId, message.frame, message.type, message.from)) continue;
      this.undeliverable(message.room, peerId, message.frame, message.type, message.from, node);
    }
  }

  /** Reserves a local slot before admission so frames racing the join are queued, not lost. */
  beginJoin(room: RoomId, peerId: PeerId): void {
    let localRoom = this.rooms.get(room);
    if (!localRoom) {
      localRoom = new LocalRoom();
      this.rooms.set(room, localRoom);
    }
    localRoom.slots.set(peerId, { sink: null, queue: [] });
  }

  /** Admission failed: forget the reserved slot. */
  abortJoin(room: RoomId, peerId: PeerId): void {
    this.dropSlot(room, peerId);
  }

  /**
   * Admission succeeded: learn the members, send `welcome`, then what queued
   * meanwhile, then announce the newcomer to the others.
   */
  completeJoin(self: RoomMember, room: RoomId, others: RoomMember[], sink: PeerSink, welcome: string): void {
    const localRoom = this.rooms.get(room);
    const slot = localRoom?.slots.get(self.peerId);
    if (!localRoom || !slot) throw new Error(`no pending join for ${self.peerId}`);
    for (const member of others) {
      if (!localRoom.departedWhilePending.has(member.peerId) && !localRoom.members.has(member.peerId)) {
        localRoom.members.set(member.peerId, member);
      }
    }
    localRoom.members.set(self.peerId, self);
    const queued = slot.queue ?? [];
    slot.queue = null;
    slot.sink = sink;
    if (!localRoom.hasPendingJoin) localRoom.departedWhilePending.clear();
    sink.send(welcome);
    for (const frame of queued) sink.send(frame);
    this.deliver(room, others, JSON.stringify(peerJoinedFrame(self)), 'peer-joined', undefined, { joined: self });
  }

  /** The peer's socket is gone but it stays a member (it may resume): frames for it are dropped. */
  detach(room: RoomId, peerId: PeerId): void {
    const slot = this.rooms.get(room)?.slots.get(peerId);
    if (slot) slot.sink = null;
  }

  /** Forgets a local peer that left, and tells the remaining members why. */
  announceLeave(room: RoomId, peerId: PeerId, reason: PeerLeftReason, remaining: RoomMember[]): void {
    this.dropSlot(room, peerId);
    // a pending join's member snapshot may predate this departure
    const localRoom = this.rooms.get(room);
    if (localRoom?.hasPendingJoin) localRoom.departedWhilePending.add(peerId);
    this.deliver(room, remaining, JSON.stringify({ type: 'peer-left', peerId, reason }), 'peer-left', undefined, {
      left: peerId,
    });
  }

  /** The room's members as this node knows them, or an empty view. */
  members(room: RoomId): ReadonlyMap<PeerId, RoomMember> {
    return this.rooms.get(room)?.members ?? EMPTY_MEMBERS;
  }

  /** Adds a member learned from the directory after a cache miss. */
  learn(room: RoomId, member: RoomMember): void {
    const localRoom = this.rooms.get(room);
    if (localRoom && !localRoom.departedWhilePending.has(member.peerId)) localRoom.members.set(member.peerId, member);
  }

  isLocal(room: RoomId, peerId: PeerId): boolean {
    return this.rooms.get(room)?.slots.has(peerId) ?? false;
  }

  /** Local peers per room, e.g. to reap or drain them. */
  localPeers(): Array<{ room: RoomId; peerId: PeerId }> {
    const peers: Array<{ room: RoomId; peerId: PeerId }> = [];
    for (const [room, localRoom] of this.rooms) for (const peerId of localRoom.slots.keys()) peers.push({ room, peerId });
    return peers;
  }

  route(room: RoomId, from: PeerId, to: PeerId | undefined): RouteSignalResult {
    return routeSignal(this.members(room), from, to);
  }

  /**
   * Sends one frame to members wherever they are: local sinks, then one publish per remote
   * node. Local peers get the frame as given (bytes stay bytes); the bus carries its text.
   */
  deliver(
    room: RoomId,
    targets: Iterable<RoomMember>,
    frame: SerializedFrame,
    type: string,
    from: PeerId | undefined,
    change?: Pick<NodeMessage, 'joined' | 'left' | 'trace'>,
  ): void {
    const localRoom = this.rooms.get(room);
    let remote: RoomMember[] | undefined;
    for (const member of targets) {
      if (member.node !== this.node) (remote ??= []).push(member);
      else if (localRoom) this.deliverLocal(localRoom, room, member.peerId, frame, type, from);
    }
    if (!remote) return;
    const sentAt = this.now();
    const text = frameText(frame);
    for (const [node, peers] of groupByNode(remote)) {
      const message: NodeMessage = { room, to: peers, frame: text, type, from, sentAt, ...change };
      this.bus.publish(node, message);
    }
  }

  /** A message from another node: apply the membership change, then hand the frame to local peers. */
  receive(message: NodeMessage): void {
    const localRoom = this.rooms.get(message.room);
    if (!localRoom) {
      // a peer that was here resumed elsewhere, or left: the hand-over finds out which
      for (const peerId of message.to) this.undeliverable(message.room, peerId, message.frame, message.type, message.from, null);
      return;
    }
    if (message.joined && !localRoom.departedWhilePending.has(message.joined.peerId)) {
      const joined = message.joined;
      const slot = localRoom.slots.get(joined.peerId);
      if (joined.node !== this.node && slot && slot.queue === null) {
        // it resumed on another node: its old socket here, if any, no longer speaks for it
        slot.sink?.superseded?.();
        localRoom.slots.delete(joined.peerId);
        if (localRoom.slots.size === 0) {
          this.rooms.delete(message.room);
          return;
        }
      }
      localRoom.members.set(joined.peerId, joined);
    }
    if (message.left) {
      localRoom.members.delete(message.left);
      if (localRoom.hasPendingJoin) localRoom.departedWhilePending.add(message.left);
    }
    for (const peerId of message.to) {
      this.deliverLocal(localRoom, message.room, peerId, message.frame, message.type, message.from);
    }
    // a peer held here whose hold another node ended: its slot must not keep the room alive
    if (message.left) this.forgetDetached(message.room, message.left);
  }

  /**
   * Forgets a local peer that lost its socket (held for resume) once its seat is gone
   * elsewhere: another node ended its hold, or it resumed on another node. False when the
   * peer has a socket here or a join in progress.
   */
  forgetDetached(room: RoomId, peerId: PeerId): boolean {
    if (!this.isDetached(room, peerId)) return false;
    this.dropSlot(room, peerId);
    return true;
  }

  /** Whether a local peer lost its socket and is held for resume here. */
  isDetached(room: RoomId, peerId: PeerId): boolean {
    const slot = this.rooms.get(room)?.slots.get(peerId);
    return slot !== undefined && slot.sink === null && slot.queue === null;
  }

  private deliverLocal(
    localRoom: LocalRoom,
    room: RoomId,
    peerId: PeerId,
    frame: SerializedFrame,
    type: string,
    from: PeerId | undefined,
  ): void {
    // the membership check is what keeps a frame inside its room, even if a
    // remote node addressed a peer of another room
    if (localRoom.deliverTo(peerId, frame)) this.observer.delivered(room, peerId, type, from);
    else this.undeliverable(room, peerId, frameText(frame), type, from, null);
  }

  private dropSlot(room: RoomId, peerId: PeerId): void {
    const localRoom = this.rooms.get(room);
    if (!localRoom) return;
    localRoom.slots.delete(peerId);
    localRoom.members.delete(peerId);
    if (localRoom.slots.size === 0) this.rooms.delete(room);
  }
}

const EMPTY_MEMBERS: ReadonlyMap<PeerId, RoomMember> = new Map();

function peerJoinedFrame(member: RoomMember): { type: 'peer-joined'; peerId: PeerId; name?: string } {
  return member.name === undefined
    ? { type: 'peer-joined', peerId: member.peerId }
    : { type: 'peer-joined', peerId: member.peerId, name: member.name };
}

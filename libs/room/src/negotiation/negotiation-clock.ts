import type { PeerId, RoomId } from '@sg/schema';

/** Bounds memory if peers offer and never connect nor leave. */
const MAX_PENDING_NEGOTIATIONS = 50_000;

/**
 * Times negotiations from the offer reaching a local answerer to the first
 * `connected` report of the pair. Kept on the answerer's node only, so a
 * negotiation across two nodes is measured once, not once per node.
 */
export class NegotiationClock {
  private readonly offeredAt = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.offeredAt.size;
  }

  /** An offer from `offerer` was handed to local peer `answerer`; an earlier pending offer keeps its time. */
  offerDelivered(room: RoomId, offerer: PeerId, answerer: PeerId): void {
    const key = pairKey(room, offerer, answerer);
    if (this.offeredAt.has(key)) return;
    if (this.offeredAt.size >= MAX_PENDING_NEGOTIATIONS) {
      const oldest = this.offeredAt.keys().next().value;
      if (oldest !== undefined) this.offeredAt.delete(oldest);
    }
    this.offeredAt.set(key, this.now());
  }

  /** A side reported `connected` with `remote`: seconds since the offer, once per negotiation, else null. */
  connected(room: RoomId, reporter: PeerId, remote: PeerId): number | null {
    const key = pairKey(room, reporter, remote);
    const startedAt = this.offeredAt.get(key);
    if (startedAt === undefined) return null;
    this.offeredAt.delete(key);
    return Math.max(0, this.now() - startedAt) / 1000;
  }

  /** Forgets every pending negotiation of a peer that left. */
  forgetPeer(room: RoomId, peerId: PeerId): void {
    const prefix = `${room}|`;
    for (const key of this.offeredAt.keys()) {
      if (key.startsWith(prefix) && key.split('|').includes(peerId)) this.offeredAt.delete(key);
    }
  }
}

// the pair is unordered: either side's report ends the measurement
function pairKey(room: RoomId, a: PeerId, b: PeerId): string {
  return a < b ? `${room}|${a}|${b}` : `${room}|${b}|${a}`;
}

import type { NodeId, PeerId, RoomId } from '@sg/schema';
import type { PeerBus } from '../ports/peer-bus';
import type { ResumeDirectory } from './resume-directory';

/** Frames worth keeping for a peer that is away: the signals it must answer. */
const BUFFERED_TYPES: ReadonlySet<string> = new Set(['offer', 'answer', 'candidate']);

export interface HandOverRelayOptions {
  /** RESUME_BUFFER_MAX_MESSAGES. */
  readonly bufferLimit: number;
  /** How long a buffer outlives its last frame if nobody resumes or ends it. */
  readonly bufferTtlMs: number;
}

export interface HandOverRelayHooks {
  /** Hands a frame to a peer attached to this node; false if it has no socket here. */
  deliverLocal(room: RoomId, peerId: PeerId, frame: string, type: string, from: PeerId | undefined): boolean;
  /** What became of a frame: counted, never logged with content. */
  outcome(kind: 'buffered' | 'full' | 'forwarded' | 'gone' | 'failed'): void;
  failed(error: unknown): void;
}

/**
 * Frames for a peer that is not where the sender thought: its socket was lost
 * (held for the resume window), its node died or drained, or it just resumed on
 * another node. One atomic call per frame either buffers it in Redis for the
 * resume or names the node that hosts the peer now, and the frame is forwarded
 * there. Calls go out in arrival order on one connection and their replies come
 * back in that order, so a peer's frames keep their order across the hand-over.
 */
export class HandOverRelay {
  /** Per peer (`room`, `peerId`), the last hand-over not settled yet: later ones settle after it. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly node: NodeId,
    private readonly directory: ResumeDirectory,
    private readonly bus: PeerBus,
    private readonly options: HandOverRelayOptions,
    private readonly hooks: HandOverRelayHooks,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A frame for `peerId` of `room` that could not be handed to a socket; `unreachable`
   * is the node it was published to without a subscriber (dead or gone), if any.
   */
  relay(room: RoomId, peerId: PeerId, frame: string, type: string, from: PeerId | undefined, unreachable: NodeId | null): void {
    // membership frames are not kept: a resumed peer's new welcome lists who is there now
    // (and a membership frame that missed a moving peer predates its resume snapshot)
    if (!BUFFERED_TYPES.has(type)) return;
    const key = pendingKey(room, peerId);
    const settled = this.directory
      .bufferFor(room, peerId, frame, {
        limit: this.options.bufferLimit,
        ttlMs: this.options.bufferTtlMs,
        self: this.node,
        unreachable,
        keep: true,
      })
      .then(
        (outcome) => {
          switch (outcome.kind) {
            case 'hosted':
              this.forward(outcome.node, room, peerId, frame, type, from);
              return;
            case 'buffered':
            case 'full':
            case 'gone':
              this.hooks.outcome(outcome.kind);
              return;
            case 'unreachable':
              return;
          }
        },
        (error: unknown) => {
          this.hooks.outcome('failed');
          this.hooks.failed(error);
        },
      );
    this.pending.set(key, settled);
    void settled.then(() => {
      if (this.pending.get(key) === settled) this.pending.delete(key);
    });
  }

  /**
   * Resolves once every frame handed over for the peer so far is settled: buffered, dropped
   * or forwarded. A resume on this node waits for it before it takes the buffer: a frame still
   * on its way to the buffer would land in a new one that nobody reads, since the buffering
   * script takes a peer whose seat names this node for one without a socket here.
   */
  settled(room: RoomId, peerId: PeerId): Promise<void> {
    return this.pending.get(pendingKey(room, peerId)) ?? Promise.resolve();
  }

  private forward(node: NodeId, room: RoomId, peerId: PeerId, frame: string, type: string, from: PeerId | undefined): void {
    this.hooks.outcome('forwarded');
    if (node === this.node) {
      // resumed here a moment ago; a slot without a socket would have been buffered instead
      this.hooks.deliverLocal(room, peerId, frame, type, from);
      return;
    }
    this.bus.publish(node, { room, to: [peerId], frame, type, from, sentAt: this.now() });
  }
}

function pendingKey(room: RoomId, peerId: PeerId): string {
  return `${room}\u001f${peerId}`;
}

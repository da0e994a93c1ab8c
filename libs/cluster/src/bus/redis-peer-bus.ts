import type { NodeId } from '@sg/schema';
import { NodeMessage, PeerBus } from '@sg/room';
import type Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';
import { decodeNodeMessage, encodeNodeMessage } from './node-message-codec';

// Separates messages coalesced into one PUBLISH. Encoded messages cannot
// contain it: ids and numbers never do, and frames are JSON, which escapes
// every control character.
const BATCH_SEPARATOR = '\x1d';

export interface RedisPeerBusHooks {
  /** A publish failed; its messages are lost (pub/sub has no retry). */
  readonly publishFailed: (node: NodeId, error: unknown) => void;
  readonly malformed: (payload: string) => void;
}

/**
 * Per-node addressing over Redis pub/sub: each node subscribes once to its own
 * channel at start, so joins cost no SUBSCRIBE round trip (docs/architecture.md).
 * Messages for the same node within one event-loop turn go out as one PUBLISH:
 * under load that saves a command, a reply and a wake-up per message.
 * Pub/sub is fire-and-forget, which suits signaling: a node that is down has no
 * sockets to deliver to; durable data goes through the session events stream.
 * PUBLISH does say how many subscribers got a message: none means the node is
 * dead or gone, and `onUndelivered` gets the messages so its peers' signals can
 * wait for their resume elsewhere.
 */
export class RedisPeerBus extends PeerBus {
  private readonly outbox = new Map<NodeId, NodeMessage[]>();
  private flushScheduled = false;
  private undelivered: ((node: NodeId, message: NodeMessage) => void) | null = null;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly hooks: RedisPeerBusHooks,
  ) {
    super();
  }

  publish(node: NodeId, message: NodeMessage): void {
    const queued = this.outbox.get(node);
    if (queued) queued.push(message);
    else this.outbox.set(node, [message]);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  override onUndelivered(handler: (node: NodeId, message: NodeMessage) => void): void {
    this.undelivered = handler;
  }

  async subscribe(node: NodeId, handler: (message: NodeMessage) => void): Promise<void> {
    const channel = REDIS_KEYS.nodeChannel(node);
    this.subscriber.on('message', (from: string, payload: string) => {
      if (from !== channel) return;
      for (const part of payload.split(BATCH_SEPARATOR)) {
        const message = decodeNodeMessage(part);
        if (message) handler(message);
        else this.hooks.malformed(part);
      }
    });
    await this.subscriber.subscribe(channel);
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [node, messages] of this.outbox) {
      const payloads = messages.map(encodeNodeMessage);
      this.publisher
        .publish(REDIS_KEYS.nodeChannel(node), payloads.length === 1 ? payloads[0] : payloads.join(BATCH_SEPARATOR))
        .then(
          (receivers) => {
            // no subscriber: the node is dead or gone, and pub/sub would drop these silently
            if (receivers === 0 && this.undelivered) for (const message of messages) this.undelivered(node, message);
          },
          (error: unknown) => this.hooks.publishFailed(node, error),
        );
    }
    this.outbox.clear();
  }
}

import type { NodeId } from '@sg/schema';
import { NodeMessage, PeerBus } from '@sg/room';
import { isRedisCluster, RedisConnection } from '../redis-connection';
import { REDIS_KEYS } from '../redis-keys';
import { decodeNodeMessage, encodeNodeMessage } from './node-message-codec';

// Separates messages coalesced into one PUBLISH. Encoded messages cannot
// contain it: ids and numbers never do, and frames are JSON, which escapes
// every control character.
const BATCH_SEPARATOR = '\x1d';

/**
 * How long messages whose publish failed are kept and tried again (every `RETRY_DELAY_MS`):
 * longer than a Redis Cluster failover takes (the node timeout, then the election), so the
 * signals for a node whose channel's master died arrive late instead of never.
 */
export const PUBLISH_RETRY_WINDOW_MS = 8_000;
const RETRY_DELAY_MS = 200;
/** Messages kept per node while its publishes fail; past it the oldest are given up. */
const MAX_STALLED_PER_NODE = 10_000;

export interface RedisPeerBusHooks {
  /** Publishes to a node failed for the whole retry window (or past its bound): these messages are lost. */
  readonly publishFailed: (node: NodeId, error: unknown) => void;
  readonly malformed: (payload: string) => void;
}

/** A node whose publish failed: its messages, in order, until a retry goes through or the window ends. */
interface Stalled {
  readonly messages: NodeMessage[];
  readonly giveUpAt: number;
  error: unknown;
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
 *
 * On a Redis Cluster the channels are sharded (`SSUBSCRIBE`/`SPUBLISH`, Redis 7): a node's
 * channel lives on the shard of its hash tag, so a message goes to that shard's master only
 * instead of being broadcast over the cluster bus to every node, and `SPUBLISH` still counts
 * the subscriber (ioredis keeps the sharded subscriber on the channel's master).
 *
 * A publish that fails (Redis unreachable, or the channel's master failing over) is tried
 * again for `PUBLISH_RETRY_WINDOW_MS`; meanwhile later messages to that node wait behind it,
 * so a node's messages keep their order.
 */
export class RedisPeerBus extends PeerBus {
  private readonly outbox = new Map<NodeId, NodeMessage[]>();
  private flushScheduled = false;
  private undelivered: ((node: NodeId, message: NodeMessage) => void) | null = null;
  private readonly stalled = new Map<NodeId, Stalled>();

  private readonly sharded: boolean;

  constructor(
    private readonly publisher: RedisConnection,
    private readonly subscriber: RedisConnection,
    private readonly hooks: RedisPeerBusHooks,
    private readonly retryWindowMs = PUBLISH_RETRY_WINDOW_MS,
  ) {
    super();
    this.sharded = isRedisCluster(publisher);
  }

  publish(node: NodeId, message: NodeMessage): void {
    const stalled = this.stalled.get(node);
    if (stalled) {
      stalled.messages.push(message);
      if (stalled.messages.length > MAX_STALLED_PER_NODE) {
        stalled.messages.shift();
        this.hooks.publishFailed(node, stalled.error);
      }
      return;
    }
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
    this.subscriber.on(this.sharded ? 'smessage' : 'message', (from: string, payload: string) => {
      if (from !== channel) return;
      for (const part of payload.split(BATCH_SEPARATOR)) {
        const message = decodeNodeMessage(part);
        if (message) handler(message);
        else this.hooks.malformed(part);
      }
    });
    if (this.sharded) await this.subscriber.ssubscribe(channel);
    else await this.subscriber.subscribe(channel);
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [node, messages] of this.outbox) this.send(node, messages, Date.now() + this.retryWindowMs);
    this.outbox.clear();
  }

  private send(node: NodeId, messages: NodeMessage[], giveUpAt: number): void {
    const payloads = messages.map(encodeNodeMessage);
    const channel = REDIS_KEYS.nodeChannel(node);
    const payload = payloads.length === 1 ? payloads[0] : payloads.join(BATCH_SEPARATOR);
    const published = this.sharded ? this.publisher.spublish(channel, payload) : this.publisher.publish(channel, payload);
    published.then(
      (receivers) => {
        // no subscriber: the node is dead or gone, and pub/sub would drop these silently
        if (receivers === 0 && this.undelivered) for (const message of messages) this.undelivered(node, message);
      },
      (error: unknown) => this.stall(node, messages, giveUpAt, error),
    );
  }

  /** Keeps a failed publish's messages ahead of the node's later ones, and tries again shortly. */
  private stall(node: NodeId, messages: NodeMessage[], giveUpAt: number, error: unknown): void {
    const stalled = this.stalled.get(node);
    if (stalled) {
      stalled.messages.unshift(...messages);
      stalled.error = error;
      return;
    }
    this.stalled.set(node, { messages: [...messages], giveUpAt, error });
    setTimeout(() => this.retry(node), RETRY_DELAY_MS).unref();
  }

  private retry(node: NodeId): void {
    const stalled = this.stalled.get(node);
    if (!stalled) return;
    this.stalled.delete(node);
    if (Date.now() >= stalled.giveUpAt) {
      this.hooks.publishFailed(node, stalled.error);
      return;
    }
    // ahead of anything queued for the node since (publish() held those back while stalled)
    const queued = this.outbox.get(node) ?? [];
    this.outbox.delete(node);
    this.send(node, [...stalled.messages, ...queued], stalled.giveUpAt);
  }
}

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
 * longer than a Redis Cluster failover takes (the node timeout, then the election) plus the
 * time a node that missed beats meanwhile gets before survivors take it out (NODE_TTL_MS and
 * as much grace), so the signals for a node whose channel's master died arrive late instead of never.
 */
export const PUBLISH_RETRY_WINDOW_MS = 15_000;
const RETRY_DELAY_MS = 200;
/** Messages kept per node while its publishes fail; past it the oldest are given up. */
const MAX_STALLED_PER_NODE = 10_000;

export interface RedisPeerBusHooks {
  /** Publishes to a node failed for the whole retry window (or past its bound): these messages are lost. */
  readonly publishFailed: (node: NodeId, error: unknown) => void;
  readonly malformed: (payload: string) => void;
}

/**
 * What waits to be published to one node, oldest first. Messages published within one
 * event-loop turn go out together. After a failed publish the node is held: its messages
 * are published again (every `RETRY_DELAY_MS`) until it goes through or `giveUpAt` passes,
 * and new ones wait behind them.
 */
interface NodeQueue {
  pending: NodeMessage[];
  /** A publish to the node is under way (on a cluster the next waits for it: see `sendOne`). */
  busy: boolean;
  /** Set while held after a failure: when its messages are given up. */
  giveUpAt: number | null;
  /** Messages at the head of `pending` put back by failed publishes, in the order they were sent. */
  returned: number;
  error: unknown;
  timer: NodeJS.Timeout | null;
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
 * so a node's messages keep their order. On a cluster, so is one that reached nobody while
 * the node lives (`nobodyListened`).
 */
export class RedisPeerBus extends PeerBus {
  private readonly queues = new Map<NodeId, NodeQueue>();
  private readonly due = new Set<NodeId>();
  private flushScheduled = false;
  private undelivered: ((node: NodeId, message: NodeMessage) => void) | null = null;
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
    let queue = this.queues.get(node);
    if (!queue) {
      queue = { pending: [], busy: false, giveUpAt: null, returned: 0, error: null, timer: null };
      this.queues.set(node, queue);
    }
    queue.pending.push(message);
    if (queue.pending.length > MAX_STALLED_PER_NODE) {
      queue.pending.shift();
      this.hooks.publishFailed(node, queue.error);
    }
    this.due.add(node);
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
    for (const node of this.due) this.drain(node);
    this.due.clear();
  }

  /** Publishes what waits for a node, unless it is held (a retry is scheduled) or, on a cluster, a publish to it is under way. */
  private drain(node: NodeId): void {
    const queue = this.queues.get(node);
    if (!queue) return;
    if (queue.timer || (queue.busy && this.sharded)) return;
    if (queue.pending.length === 0) {
      if (!queue.busy) this.queues.delete(node);
      return;
    }
    queue.returned = 0;
    this.sendOne(node, queue, queue.pending.splice(0));
  }

  /**
   * One PUBLISH of a batch. On a cluster, ioredis retries a command through a failover on
   * its own (redirections, the promoted master), so two publishes in flight to one node could
   * land out of order: there the next batch waits for this one. One Redis runs a connection's
   * commands in order, so there batches follow each other without waiting.
   */
  private sendOne(node: NodeId, queue: NodeQueue, batch: NodeMessage[]): void {
    queue.busy = true;
    const payloads = batch.map(encodeNodeMessage);
    const channel = REDIS_KEYS.nodeChannel(node);
    const payload = payloads.length === 1 ? payloads[0] : payloads.join(BATCH_SEPARATOR);
    const published = this.sharded ? this.publisher.spublish(channel, payload) : this.publisher.publish(channel, payload);
    published.then(
      async (receivers) => {
        if (Number(receivers) > 0 || !(await this.nobodyListening(node, queue, batch))) this.done(node, queue);
      },
      (error: unknown) => this.hold(node, queue, batch, error),
    );
  }

  /**
   * Nobody received a publish. On one Redis, the node is dead or gone: `onUndelivered` gets
   * the messages, which pub/sub would drop silently, so its peers' signals can wait for their
   * resume elsewhere. On a cluster, a live node may lack its subscription for a moment: after
   * its channel's master failed over, its client subscribes again on the promoted one (ioredis
   * does so on its next slot refresh, within a couple of seconds), and its TTL key may have
   * run out meanwhile. So there the node is gone only once it is deregistered (drained, or
   * taken out by survivors; the key is of its channel's slot); until then the messages are
   * held like a failed publish's. The cost: signals for a node that died reach the resume
   * buffers only once it is taken out, and may then come after later ones sent to a peer
   * that resumed elsewhere first. Returns true when the batch is held.
   */
  private async nobodyListening(node: NodeId, queue: NodeQueue, batch: NodeMessage[]): Promise<boolean> {
    if (this.sharded) {
      let registered: number;
      try {
        registered = await this.publisher.exists(REDIS_KEYS.nodeRegistered(node));
      } catch (error) {
        this.hold(node, queue, batch, error);
        return true;
      }
      if (registered === 1) {
        this.hold(node, queue, batch, new Error(`node ${node} is registered but does not listen on its channel (subscribing again after a failover?)`));
        return true;
      }
    }
    if (this.undelivered) for (const message of batch) this.undelivered(node, message);
    return false;
  }

  /** A publish is settled: the node is held no more, and what waited meanwhile goes. */
  private done(node: NodeId, queue: NodeQueue): void {
    queue.busy = false;
    queue.giveUpAt = null;
    this.drain(node);
  }

  /** Puts a batch back ahead of the node's later messages and publishes them again shortly, or gives them up past the window. */
  private hold(node: NodeId, queue: NodeQueue, batch: NodeMessage[], error: unknown): void {
    queue.busy = false;
    queue.error = error;
    queue.giveUpAt ??= Date.now() + this.retryWindowMs;
    if (Date.now() >= queue.giveUpAt) {
      queue.giveUpAt = null;
      this.hooks.publishFailed(node, error);
      this.drain(node);
      return;
    }
    // behind batches sent before it that failed too, ahead of everything published since
    queue.pending.splice(queue.returned, 0, ...batch);
    queue.returned += batch.length;
    if (queue.timer) return;
    queue.timer = setTimeout(() => {
      queue.timer = null;
      this.drain(node);
    }, RETRY_DELAY_MS);
    queue.timer.unref();
  }
}

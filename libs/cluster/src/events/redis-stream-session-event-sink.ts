import { createHash, randomBytes } from 'node:crypto';
import type { SessionEvent } from '@sg/schema';
import { SessionEventSink } from '@sg/room';
import { isRedisCluster, type RedisConnection } from '../redis-connection';
import { REDIS_KEYS } from '../redis-keys';
import { CONNECTED_REPLICAS_LUA } from '../lua/connected-replicas.lua';
import { APPEND_TO_SESSION_STREAMS_LUA } from '../lua/append-to-session-streams.lua';
import { ClusterRedis, defineClusterCommands } from '../lua/define-cluster-commands';
import { RespCommandWriter, WireCommand } from '../redis/wire-command';
import { SerializedEventQueue } from './serialized-event-queue';
import { SESSION_EVENT_SHARDS, sessionEventShardOf } from './session-event-shards';

export interface SessionEventSinkOptions {
  /** How often buffered events are written; bounds the indexing lag it adds. */
  readonly flushIntervalMs: number;
  /** At most this many events per stream entry; more wait for the next write. */
  readonly maxBatch: number;
  /** Events kept while Redis is unreachable; beyond this the oldest are dropped and counted. */
  readonly maxBuffered: number;
  /** Approximate cap on entries (batches) per stream, so an absent indexer cannot fill Redis. */
  readonly streamMaxLen: number;
  /**
   * On a Redis Cluster: how long a write waits for a replica of its shard's master to have it
   * (`WAIT 1`) before it counts as written; 0 = the master's reply is enough (one Redis).
   */
  readonly replicaAckTimeoutMs?: number;
}

/** One shard's part of a write: its stream and the entry's fields after MAXLEN. */
interface ShardEntry {
  readonly shard: number;
  readonly stream: string;
  /** batch (the events' JSON array), writer, sequence numbers. */
  readonly fields: readonly [Buffer, string, string];
}

export interface SessionEventSinkObserver {
  written(events: number): void;
  failed(error: unknown): void;
  dropped(events: number): void;
  pending(events: number): void;
}

/**
 * The longest wait between two write attempts while writes fail. Doubling from
 * the flush interval, so a Redis that is away gets one attempt per 2 s from this
 * node rather than one per recorded event, and buffered events follow within
 * 2 s of its return.
 */
const MAX_RETRY_DELAY_MS = 2_000;

/** The append script's SHA-1, as EVALSHA names it (ioredis's defineCommand computes the same). */
const APPEND_SCRIPT_SHA = createHash('sha1').update(APPEND_TO_SESSION_STREAMS_LUA).digest('hex');

/**
 * Batches session events into entries of the Redis streams the indexers' consumer
 * group reads (one stream per shard of rooms): one entry per shard per flush, all in one
 * script call on one Redis, keeps the relay path cheap. A failed write keeps its batch at the head of its shard's
 * queue and retries it first, so order within a room holds and nothing is lost
 * unless the buffer bound is reached (then counted as dropped).
 *
 * A write whose reply was lost may have been applied, and ioredis resends commands
 * that were in flight when a connection drops, so an entry can reach the stream twice.
 * Each entry names its writer (`w`, random per sink) and its events' sequence numbers
 * (`s`), unchanged when retried, so the indexer skips events it has already applied.
 *
 * Replication is asynchronous: a master that fails right after its reply may not have passed
 * the entry to the replica that takes over. With `replicaAckTimeoutMs` (a Redis Cluster), a
 * batch counts as written only once a replica has it (`WAIT 1` on the master's connection);
 * otherwise it stays and is written again, and the copy is skipped as above. A master with
 * no replica at all (the one promoted by a failover, until the old one comes back as its
 * replica) is written to alone: waiting would only hold every event of its shards.
 */
export class RedisStreamSessionEventSink extends SessionEventSink {
  private readonly queues: SerializedEventQueue[] = Array.from({ length: SESSION_EVENT_SHARDS }, () => new SerializedEventQueue());
  private readonly writer = randomBytes(9).toString('base64url');
  private buffered = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  /** Failed writes in a row; while any, only the backoff timer writes (not a full batch). */
  private failures = 0;

  /** One Redis: every shard's entry goes in one script call (see `write`); null on a Redis Cluster. */
  private readonly oneRedis: ClusterRedis | null;
  /** That call's bytes, written in place (see `writeTogether`). */
  private readonly appendCall = new RespCommandWriter();

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: SessionEventSinkOptions,
    private readonly observer: SessionEventSinkObserver,
  ) {
    super();
    if (isRedisCluster(redis) || (options.replicaAckTimeoutMs ?? 0) > 0) this.oneRedis = null;
    else this.oneRedis = defineClusterCommands(redis);
  }

  record(event: SessionEvent): void {
    const queue = this.queues[sessionEventShardOf(event.room)];
    // serialised now, so that nothing of the event outlives this call (see SerializedEventQueue)
    queue.push(JSON.stringify(event));
    this.buffered += 1;
    if (this.buffered > this.options.maxBuffered) this.dropOldest(queue);
    if (queue.length >= this.options.maxBatch && !this.writing && this.failures === 0) void this.flush();
    else this.schedule();
  }

  /** Writes what is buffered; resolves when written or when a write failed (kept for retry). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.buffered === 0) return;
    this.writing = this.write().finally(() => {
      this.writing = null;
    });
    await this.writing;
    if (this.buffered > 0) this.schedule();
  }

  /** Tries to write what is left, for a clean shutdown. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (let attempt = 0; attempt < 3 && this.buffered > 0; attempt++) await this.flush();
  }

  /** Events not yet written. */
  get pendingEvents(): number {
    return this.buffered;
  }

  /**
   * One entry per shard with events. On one Redis they are written by one script call (about
   * 60 % of the client CPU of one command per shard, with one reply to wake for): all succeed or the
   * call fails and all are written again (a shard written before a failure is then a copy the
   * indexer skips, see above). On a Redis Cluster each shard's stream is its own slot, so each
   * entry is its own XADD and succeeds or fails on its own.
   */
  private async write(): Promise<void> {
    const entries: ShardEntry[] = [];
    for (let shard = 0; shard < this.queues.length; shard++) {
      const taken = this.queues[shard].take(this.options.maxBatch);
      if (taken === null) continue;
      entries.push({ shard, stream: REDIS_KEYS.sessionEvents(shard), fields: [taken.batch, this.writer, taken.seqs] });
    }
    const errors = this.oneRedis ? await this.writeTogether(this.oneRedis, entries) : await this.writeEach(entries);
    let written = 0;
    let failure: Error | null = null;
    entries.forEach(({ shard }, i) => {
      // events recorded while writing were appended after the batch
      const settled = this.queues[shard].settle(!errors[i]);
      this.buffered -= settled;
      written += settled;
      if (errors[i]) failure = errors[i];
    });
    this.failures = failure ? this.failures + 1 : 0;
    if (written > 0) this.observer.written(written);
    if (failure) this.observer.failed(failure);
    this.observer.pending(this.buffered);
  }

  /**
   * Each entry's error, or null when written: one outcome for all. The EVALSHA's bytes are
   * written in place, each batch copied once into a buffer kept from write to write: through
   * ioredis's argument path the call took 2.5 times as long on the event loop (measured: about
   * 250 against 100 us for 200 events), every message waiting behind it. A Redis that lacks the
   * script (restarted) gets it through ioredis's defined command, which loads it.
   */
  private async writeTogether(redis: ClusterRedis, entries: readonly ShardEntry[]): Promise<Array<Error | null>> {
    // after the key count: the streams, MAXLEN, then each stream's fields (the script's KEYS and ARGV)
    const keysThenArgs = [...entries.map((entry) => entry.stream), String(this.options.streamMaxLen), ...entries.flatMap((entry) => entry.fields)];
    try {
      const call = this.appendCall;
      call.begin(3 + keysThenArgs.length);
      call.argument('evalsha');
      call.argument(APPEND_SCRIPT_SHA);
      call.argument(String(entries.length));
      for (const argument of keysThenArgs) call.argument(argument);
      const command = new WireCommand('evalsha', call.finish());
      void redis.sendCommand(command);
      await command.promise.catch((error: unknown) => {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return redis.sgAppendToSessionStreams(entries.length, ...keysThenArgs);
      });
      return entries.map(() => null);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      return entries.map(() => failure);
    }
  }

  /** Each entry's error, or null when written: one XADD each, sent together. */
  private async writeEach(entries: readonly ShardEntry[]): Promise<Array<Error | null>> {
    const maxLen = String(this.options.streamMaxLen);
    const settled = await Promise.allSettled(entries.map(({ stream, fields: [batch, writer, seqs] }) => this.writeEntry(stream, ['MAXLEN', '~', maxLen, '*', 'b', batch, 'w', writer, 's', seqs])));
    return settled.map((outcome) => (outcome.status === 'fulfilled' ? null : outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason))));
  }

  /** One stream entry, acknowledged by a replica when `replicaAckTimeoutMs` says so; rejects when it must be written again. */
  private async writeEntry(stream: string, args: Array<string | Buffer>): Promise<void> {
    const timeoutMs = this.options.replicaAckTimeoutMs ?? 0;
    if (timeoutMs <= 0) {
      await this.redis.xadd(stream, ...(args as [string | Buffer]));
      return;
    }
    // one pipeline: WAIT has no key, and must reach the master that took the entry
    const pipeline = this.redis.pipeline();
    pipeline.xadd(stream, ...(args as [string | Buffer]));
    pipeline.call('WAIT', '1', String(timeoutMs));
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
    if (results.length === 2 && Number(results[1][1]) >= 1) return;
    const replicas = Number(await this.redis.eval(CONNECTED_REPLICAS_LUA, 1, stream));
    if (replicas === 0) return;
    throw new Error(`no replica of ${stream}'s master acknowledged the entry within ${timeoutMs} ms; it is written again`);
  }

  private dropOldest(preferred: SerializedEventQueue): void {
    if (!preferred.dropOldest() && !this.queues.some((queue) => queue.dropOldest())) return;
    this.buffered -= 1;
    this.observer.dropped(1);
  }

  private schedule(): void {
    if (this.timer) return;
    const delay = this.failures === 0 ? this.options.flushIntervalMs : Math.min(this.options.flushIntervalMs * 2 ** this.failures, MAX_RETRY_DELAY_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
    this.timer.unref();
  }
}

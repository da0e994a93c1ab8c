import type { SessionEvent } from '@sg/schema';
import { SessionEventSink } from '@sg/room';
import type Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';

export interface SessionEventSinkOptions {
  /** How often buffered events are written; bounds the indexing lag it adds. */
  readonly flushIntervalMs: number;
  /** A batch this large is written at once, without waiting for the interval. */
  readonly maxBatch: number;
  /** Events kept while Redis is unreachable; beyond this the oldest are dropped and counted. */
  readonly maxBuffered: number;
  /** Approximate cap on stream entries (batches), so an absent indexer cannot fill Redis. */
  readonly streamMaxLen: number;
}

export interface SessionEventSinkObserver {
  written(events: number): void;
  failed(error: unknown): void;
  dropped(events: number): void;
  pending(events: number): void;
}

/**
 * Batches session events into entries of a Redis stream read by the indexer's
 * consumer group: one XADD per batch keeps the relay path cheap. A failed
 * write keeps the batch and retries it first, so order is kept and nothing is
 * lost unless the buffer bound is reached (then counted as dropped).
 */
export class RedisStreamSessionEventSink extends SessionEventSink {
  private buffer: SessionEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  /** Events at the head of the buffer that the write under way covers. */
  private inFlight = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: SessionEventSinkOptions,
    private readonly observer: SessionEventSinkObserver,
  ) {
    super();
  }

  record(event: SessionEvent): void {
    this.buffer.push(event);
    if (this.buffer.length > this.options.maxBuffered) {
      const excess = this.buffer.length - this.options.maxBuffered;
      // never drop what the write under way will remove on success
      this.buffer.splice(this.inFlight, excess);
      this.observer.dropped(excess);
    }
    if (this.buffer.length >= this.options.maxBatch && !this.writing) void this.flush();
    else this.schedule();
  }

  /** Writes everything buffered; resolves when written or when a write failed (kept for retry). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer.slice(0, this.options.maxBatch);
    this.inFlight = batch.length;
    this.writing = this.write(batch).finally(() => {
      this.writing = null;
    });
    await this.writing;
    if (this.buffer.length > 0) this.schedule();
  }

  /** Tries to write what is left, for a clean shutdown. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (let attempt = 0; attempt < 3 && this.buffer.length > 0; attempt++) await this.flush();
  }

  private async write(batch: SessionEvent[]): Promise<void> {
    try {
      await this.redis.xadd(
        REDIS_KEYS.sessionEvents,
        'MAXLEN',
        '~',
        String(this.options.streamMaxLen),
        '*',
        'b',
        JSON.stringify(batch),
      );
      // events recorded while writing were appended after the batch
      this.buffer.splice(0, batch.length);
      this.observer.written(batch.length);
    } catch (error) {
      this.observer.failed(error);
    } finally {
      this.inFlight = 0;
      this.observer.pending(this.buffer.length);
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }
}

import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { SESSION_EVENTS_PATTERN, SessionEventEntry, SessionEventSource } from '@sg/session';
import { finalize, lastValueFrom } from 'rxjs';
import { RedisStreamsContext } from './redis-streams.context';

export interface RedisStreamsTransportOptions {
  /** Stream entries read per owned shard per batch. */
  readonly batchEntries: number;
  /** Longest wait for new entries; the source also keeps it under its lease renewal. */
  readonly blockMs: number;
  /** Delay before retrying a failed read, handler or acknowledgement; doubles up to 16x for the latter two. */
  readonly retryDelayMs: number;
}

/** What `on()` reports, for metrics. */
export type RedisStreamsEvents = {
  /** A batch's entries are acknowledged, with what its handler resolved to. */
  acknowledged: (entries: readonly SessionEventEntry[], result: unknown) => void;
  /** A read, a handler or an acknowledgement failed; it is tried again unless the transport is closing. */
  retry: (stage: 'read' | 'handler' | 'ack', error: unknown) => void;
};

export type RedisStreamsStatus = 'listening' | 'closed';

/** The transport's id, for `@EventPattern(pattern, REDIS_STREAMS_TRANSPORT)` in an app with several transports. */
export const REDIS_STREAMS_TRANSPORT = Symbol('REDIS_STREAMS_TRANSPORT');

type Listeners = { [K in keyof RedisStreamsEvents]: Array<RedisStreamsEvents[K]> };

/**
 * The session event streams as a Nest transport: handlers are `@EventPattern(SESSION_EVENTS_PATTERN)`
 * methods that get a batch of entries (`SessionEventEntry[]`). One batch at a time, it reads
 * from the `SessionEventSource` (consumer group, shard leases, claim of a dead consumer's
 * entries: `RedisStreamSessionEventSource`), awaits the handler, and acknowledges only after
 * the handler resolved. A failed handler is called again with the same batch, unacknowledged,
 * until it succeeds: durable delivery means an entry is never dropped for a failure.
 */
export class RedisStreamsTransport extends Server<RedisStreamsEvents, RedisStreamsStatus> implements CustomTransportStrategy {
  override transportId = REDIS_STREAMS_TRANSPORT;
  // failures come back to this transport, which retries them; Nest need not log them as lost
  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger = new Logger(RedisStreamsTransport.name);
  private readonly listeners: Listeners = { acknowledged: [], retry: [] };
  private consuming: Promise<void> | null = null;
  private closed: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly source: SessionEventSource,
    private readonly options: RedisStreamsTransportOptions,
  ) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    const handler = this.getHandlerByPattern(SESSION_EVENTS_PATTERN);
    // reading with no handler would hold entries unacknowledged until another indexer claimed them
    if (!handler) {
      callback(new Error(`no @EventPattern('${SESSION_EVENTS_PATTERN}') handler is registered`));
      return;
    }
    this.consuming = this.consume(handler);
    this._status$.next('listening');
    callback();
  }

  /** Resolves after the batch under way is handled and acknowledged, then releases the shards. */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  on<EventKey extends keyof RedisStreamsEvents = keyof RedisStreamsEvents, EventCallback extends RedisStreamsEvents[EventKey] = RedisStreamsEvents[EventKey]>(
    event: EventKey,
    callback: EventCallback,
  ): void {
    (this.listeners[event] as Array<RedisStreamsEvents[EventKey]>).push(callback);
  }

  /** The event source the transport reads. */
  unwrap<T>(): T {
    return this.source as T;
  }

  private async consume(handler: MessageHandler): Promise<void> {
    while (!this.stopping) {
      let entries: SessionEventEntry[];
      try {
        entries = await this.source.read(this.options.batchEntries, this.options.blockMs);
      } catch (error) {
        // Redis is unreachable: nothing was acknowledged, so wait and read again
        this.emit('retry', 'read', error);
        await sleep(this.options.retryDelayMs);
        continue;
      }
      if (entries.length > 0) await this.deliver(handler, entries);
    }
  }

  private async deliver(handler: MessageHandler, entries: readonly SessionEventEntry[]): Promise<void> {
    const handled = await this.untilDone('handler', (attempt) => this.dispatch(handler, entries, attempt));
    // given up only when closing: the entries stay pending and go to whoever holds their shards next
    if (!handled) return;
    if (!(await this.untilDone('ack', () => this.source.ack(entries)))) return;
    this.emit('acknowledged', entries, handled.value);
  }

  /**
   * Calls the handler between Nest's processing hooks and waits for what it returns (a
   * promise or an observable) to complete, as `ServerKafka#handleEvent` does; unlike the
   * base `handleEvent`, a failure comes back here instead of being logged and dropped.
   */
  private dispatch(handler: MessageHandler, entries: readonly SessionEventEntry[], attempt: number): Promise<unknown> {
    const context = new RedisStreamsContext([SESSION_EVENTS_PATTERN, attempt]);
    return new Promise((resolve, reject) => {
      this.runWithProcessingHooks(context, async (runEndHook) => {
        try {
          const result$ = this.transformToObservable(await handler(entries, context));
          resolve(await lastValueFrom(result$.pipe(finalize(runEndHook)), { defaultValue: undefined }));
        } catch (error) {
          runEndHook();
          reject(error);
        }
      });
    });
  }

  /** Retries until it works or the transport closes (then null): entries are acknowledged only after their handler resolved. */
  private async untilDone<T>(stage: 'handler' | 'ack', attempt: (attempt: number) => Promise<T>): Promise<{ value: T } | null> {
    let delay = this.options.retryDelayMs;
    for (let n = 1; ; n++) {
      try {
        return { value: await attempt(n) };
      } catch (error) {
        this.emit('retry', stage, error);
        if (this.stopping) return null;
        await sleep(delay);
        delay = Math.min(delay * 2, this.options.retryDelayMs * 16);
      }
    }
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    await this.consuming;
    try {
      await this.source.close();
    } catch (error) {
      // the leases expire on their own; other indexers take the shards a TTL later
      this.logger.warn(`could not release shards: ${errorText(error)}`);
    }
    this._status$.next('closed');
  }

  private emit<K extends keyof RedisStreamsEvents>(event: K, ...args: Parameters<RedisStreamsEvents[K]>): void {
    for (const listener of this.listeners[event]) {
      try {
        (listener as (...values: Parameters<RedisStreamsEvents[K]>) => void)(...args);
      } catch (error) {
        // a listener only observes: its failure must not stop the stream
        this.logger.error(`${event} listener failed: ${errorText(error)}`);
      }
    }
  }
}

/** Nest's exception filter turns a handler's error into `{ status, message }`, not an Error. */
function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'object' && error !== null ? JSON.stringify(error) : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

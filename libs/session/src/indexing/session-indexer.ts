import { parseSessionEventBatch, RoomId, SessionId } from '@sg/schema';
import { foldSessionEvents, peersMentioned, PositionedSessionEvent, sessionsAffected } from '../fold/fold-session-events';
import { applySessionEvent } from '../fold/apply-session-event';
import { nextDeadline } from '../fold/next-deadline';
import { renderSessionDocument } from '../fold/render-session-document';
import type { SessionFold } from '../fold/session-fold';
import type { SessionRules } from '../fold/session-rules';
import { streamPosition } from '../fold/stream-position';
import type { PeerRecordStore } from '../ports/peer-record-store';
import type { SessionDeadlines } from '../ports/session-deadlines';
import type { SessionEventEntry, SessionEventSource } from '../ports/session-event-source';
import type { SessionStore, StoredSession } from '../ports/session-store';
import { IndexedSessionEvents } from './indexed-session-events';

export interface SessionIndexerOptions {
  readonly rules: SessionRules;
  /** Deadlines fired per round are ten times this (the consumer's entries per batch). */
  readonly batchEntries: number;
  /** Longest wait of the deadline clock between rounds, so deadlines of shards taken over are noticed. */
  readonly idleWaitMs: number;
  /** Delay before retrying a failed write; doubles up to 16x. */
  readonly retryDelayMs: number;
}

/** What the indexer reports, for metrics. */
export interface SessionIndexerObserver {
  /** A batch written and acknowledged. */
  batch(entries: number, events: number): void;
  /** Seconds from each event at the gateway to its session being written and its entry acknowledged. */
  lag(seconds: number): void;
  storeWrite(seconds: number, sessions: number): void;
  deadLettered(events: number): void;
  deadlinesFired(sessions: number): void;
  retry(stage: string, error: unknown): void;
}

/**
 * The indexer's work on what a stream consumer hands it (PROTOCOL section 2): fold a batch
 * of entries into sessions and write them; the consumer (`RedisStreamsTransport` in
 * `@sg/cluster`) reads, and acknowledges only after `index()` resolved. A failed write is
 * retried here, stage by stage, so a dead letter is not written twice and nothing is lost;
 * a redelivered entry changes nothing (the fold is idempotent). Its own clock
 * (`runDeadlines`) fires deadlines that fell due, so a session ends as `no-answer` or
 * `ice-timeout` even when no further event arrives.
 */
export class SessionIndexer {
  private stopping = false;
  /** Batches and deadline rounds take turns: a session has a single writer, or a fold written by one would be lost to the other. */
  private turn: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | null = null;

  constructor(
    /** Used for its dead-letter stream and the shards owned; reading and acknowledging are the consumer's. */
    private readonly source: SessionEventSource,
    private readonly store: SessionStore,
    private readonly peers: PeerRecordStore,
    private readonly deadlines: SessionDeadlines,
    private readonly options: SessionIndexerOptions,
    private readonly observer: SessionIndexerObserver,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Fires due deadlines, then waits no longer than the next one (nor `idleWaitMs`, so shards
   * taken over are noticed), until `stop()`; resolves after the round under way is written.
   */
  async runDeadlines(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.fireDeadlines();
        const shards = this.source.ownedShards();
        const earliest = shards.length > 0 ? await this.deadlines.earliest(shards) : null;
        await this.pause(earliest === null ? this.options.idleWaitMs : Math.max(1, Math.min(this.options.idleWaitMs, earliest - this.now())));
      } catch (error) {
        // Redis or the store is unreachable: the deadlines stay where they are, so wait and look again
        this.observer.retry('deadlines', error);
        await this.pause(this.options.retryDelayMs);
      }
    }
  }

  /** Ends the deadline clock and the retries: a write that fails from now on fails its batch, which stays unacknowledged. */
  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  /** Folds and writes a batch of entries, bad events to the dead-letter stream; its entries may be acknowledged once this resolves. */
  index(entries: readonly SessionEventEntry[]): Promise<IndexedSessionEvents> {
    return this.inTurn(() => this.indexNow(entries));
  }

  /** Counts a batch once its entries are acknowledged, and its events' lag then: consumed means written and acknowledged. */
  acknowledged(indexed: IndexedSessionEvents): void {
    this.observer.batch(indexed.entries, indexed.events);
    const seconds = this.now() / 1000;
    for (const t of indexed.eventTimes) this.observer.lag(Math.max(0, seconds - t / 1000));
  }

  /** Ends sessions whose deadline has passed with no event to do it. */
  fireDeadlines(): Promise<void> {
    return this.inTurn(() => this.fireDueDeadlines());
  }

  private async indexNow(entries: readonly SessionEventEntry[]): Promise<IndexedSessionEvents> {
    const batch: PositionedSessionEvent[] = [];
    const shardOfRoom = new Map<RoomId, number>();
    let rejected = 0;
    for (const entry of entries) {
      if (entry.payload === null) {
        await this.retrying('dead-letter', () => this.source.deadLetter(entry, null, null, 'entry was trimmed from the stream before it was read'));
        continue;
      }
      const parsed = parseSessionEventBatch(entry.payload);
      if (!parsed.ok) {
        rejected += 1;
        await this.retrying('dead-letter', () => this.source.deadLetter(entry, null, entry.payload, parsed.error));
        continue;
      }
      for (const bad of parsed.rejected) {
        rejected += 1;
        await this.retrying('dead-letter', () => this.source.deadLetter(entry, bad.index, bad.raw, bad.error));
      }
      // sequence numbers, like positions, count every event of the entry, rejected ones too
      const seqs = entry.origin && entry.origin.seqs.length === parsed.events.length + parsed.rejected.length ? entry.origin.seqs : null;
      parsed.events.forEach((event, i) => {
        // positions count every event of the entry, rejected ones too, so a redelivery maps the same
        const position = streamPosition(entry.id, parsed.indexes[i]);
        batch.push(seqs ? { position, event, origin: { writer: (entry.origin as { writer: string }).writer, seq: seqs[parsed.indexes[i]] } } : { position, event });
        shardOfRoom.set(event.room, entry.shard);
      });
    }
    if (rejected > 0) this.observer.deadLettered(rejected);

    const peers = await this.retrying('load peers', () => this.peers.load(peersMentioned(batch)));
    const sessions = await this.retrying('load sessions', () => this.store.loadFolds(sessionsAffected(batch, peers)));
    const outcome = foldSessionEvents(batch, peers, sessions);
    const changedPeers = new Map([...outcome.peers].map((key) => [key, peers.get(key)!]));
    if (changedPeers.size > 0) await this.retrying('save peers', () => this.peers.save(changedPeers));
    const written = [...outcome.sessions].map((id) => sessions.get(id)!);
    await this.write(written, (fold) => shardOfRoom.get(fold.room)!);
    return new IndexedSessionEvents(entries.length, batch.map(({ event }) => event.t));
  }

  private async fireDueDeadlines(): Promise<void> {
    const shards = this.source.ownedShards();
    if (shards.length === 0) return;
    const now = this.now();
    const due = await this.deadlines.due(shards, now, this.options.batchEntries * 10);
    if (due.length === 0) return;
    const shardOf = new Map(due.map((d) => [d.sessionId, d.shard]));
    const folds = await this.retrying('load sessions', () => this.store.loadFolds(due.map((d) => d.sessionId)));
    const ticked: SessionFold[] = [];
    for (const fold of folds.values()) ticked.push(applySessionEvent(fold, { kind: 'clock', t: now }) as SessionFold);
    // a deadline of a session the store no longer has (deleted by retention) is cleared
    const missing = due.filter((d) => !folds.has(d.sessionId));
    for (const d of missing) await this.retrying('deadlines', () => this.deadlines.schedule(d.shard, new Map([[d.sessionId, null]])));
    await this.write(ticked, (fold) => shardOf.get(fold.sessionId)!);
    this.observer.deadlinesFired(ticked.length);
  }

  private async write(folds: readonly SessionFold[], shardOf: (fold: SessionFold) => number): Promise<void> {
    if (folds.length === 0) return;
    const stored: StoredSession[] = folds.map((fold) => ({ fold, document: renderSessionDocument(fold, this.options.rules) }));
    const started = this.now();
    await this.retrying('store write', () => this.store.write(stored));
    this.observer.storeWrite((this.now() - started) / 1000, stored.length);
    const byShard = new Map<number, Map<SessionId, number | null>>();
    for (const fold of folds) {
      const shard = shardOf(fold);
      if (!byShard.has(shard)) byShard.set(shard, new Map());
      byShard.get(shard)!.set(fold.sessionId, nextDeadline(fold, this.options.rules));
    }
    for (const [shard, deadlines] of byShard) await this.retrying('deadlines', () => this.deadlines.schedule(shard, deadlines));
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const done = this.turn.then(work);
    this.turn = done.catch(() => undefined);
    return done;
  }

  /** Waits, or less when `stop()` is called. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopping) return resolve();
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  /** Retries until it works or the indexer stops: the consumer acknowledges an entry only after `index()` resolved. */
  private async retrying<T>(stage: string, attempt: () => Promise<T>): Promise<T> {
    let delay = this.options.retryDelayMs;
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        this.observer.retry(stage, error);
        if (this.stopping) throw error;
        await sleep(delay);
        delay = Math.min(delay * 2, this.options.retryDelayMs * 16);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

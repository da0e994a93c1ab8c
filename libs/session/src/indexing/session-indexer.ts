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

export interface SessionIndexerOptions {
  readonly rules: SessionRules;
  /** Stream entries per batch (each holds up to a gateway's flush of events). */
  readonly batchEntries: number;
  /** Longest wait for new entries, so deadlines and shard changes are noticed. */
  readonly idleWaitMs: number;
  /** Delay before retrying a failed write; doubles up to 16x. */
  readonly retryDelayMs: number;
}

/** What the indexer reports, for metrics. */
export interface SessionIndexerObserver {
  batch(entries: number, events: number): void;
  /** Seconds from each event at the gateway to its session being written. */
  lag(seconds: number): void;
  storeWrite(seconds: number, sessions: number): void;
  deadLettered(events: number): void;
  deadlinesFired(sessions: number): void;
  retry(stage: string, error: unknown): void;
}

/**
 * The indexer's loop: read entries of the shards it owns, fold them into sessions,
 * write the sessions, then acknowledge (PROTOCOL section 2). A failed write is retried
 * before acknowledging, so nothing is lost; a redelivered entry changes nothing (the
 * fold is idempotent). Between batches it fires deadlines that fell due, so a session
 * ends as `no-answer` or `ice-timeout` even when no further event arrives.
 */
export class SessionIndexer {
  private stopping = false;

  constructor(
    private readonly source: SessionEventSource,
    private readonly store: SessionStore,
    private readonly peers: PeerRecordStore,
    private readonly deadlines: SessionDeadlines,
    private readonly options: SessionIndexerOptions,
    private readonly observer: SessionIndexerObserver,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs until `stop()`; resolves after the batch under way is written and acknowledged. */
  async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.step();
      } catch (error) {
        // Redis or the store is unreachable: nothing was acknowledged, so wait and read again
        this.observer.retry('read', error);
        await sleep(this.options.retryDelayMs);
      }
    }
  }

  stop(): void {
    this.stopping = true;
  }

  /** One round: fire due deadlines, then index one batch (waiting a while for one). */
  async step(): Promise<void> {
    await this.fireDeadlines();
    const shards = this.source.ownedShards();
    const earliest = shards.length > 0 ? await this.deadlines.earliest(shards) : null;
    const wait = earliest === null ? this.options.idleWaitMs : Math.max(1, Math.min(this.options.idleWaitMs, earliest - this.now()));
    const entries = await this.source.read(this.options.batchEntries, wait);
    if (entries.length > 0) await this.index(entries);
  }

  /** Folds, writes and acknowledges a batch of entries. */
  async index(entries: readonly SessionEventEntry[]): Promise<void> {
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
    await this.retrying('ack', () => this.source.ack(entries));

    this.observer.batch(entries.length, batch.length);
    const seconds = this.now() / 1000;
    for (const { event } of batch) this.observer.lag(Math.max(0, seconds - event.t / 1000));
  }

  /** Ends sessions whose deadline has passed with no event to do it. */
  async fireDeadlines(): Promise<void> {
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

  /** Retries until it works or the indexer stops: an entry is never acknowledged before its write. */
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

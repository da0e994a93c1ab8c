/** One stream entry: a gateway's batch of session events for one shard of rooms. */
export interface SessionEventEntry {
  shard: number;
  /** The stream entry id (`<ms>-<seq>`). */
  id: string;
  /** The batch as written (a JSON array of events), or null when the entry was trimmed away. */
  payload: string | null;
  /**
   * Who wrote the entry and the sequence number of each of its events (increasing per
   * writer and shard, the same when a write is retried): a second copy of an entry, or a
   * retried batch that grew, is recognised by them. Absent for entries written without.
   */
  origin?: { writer: string; seqs: number[] };
}

/**
 * The durable stream of session events as the indexer consumes it. An entry read is
 * delivered again (to this or another indexer) until it is acknowledged, so the
 * indexer acknowledges only after the store write. Each shard is read by one indexer
 * at a time: a session has a single writer.
 */
export abstract class SessionEventSource {
  /** Entries to index, oldest first per shard: unacknowledged ones first, then new ones. Waits up to `blockMs`. */
  abstract read(maxEntries: number, blockMs: number): Promise<SessionEventEntry[]>;
  abstract ack(entries: readonly SessionEventEntry[]): Promise<void>;
  /** Keeps an event that cannot be indexed, with why, for an operator to inspect. */
  abstract deadLetter(entry: SessionEventEntry, index: number | null, event: unknown, error: string): Promise<void>;
  /** The shards this indexer reads now. */
  abstract ownedShards(): readonly number[];
  /** Stops reading and hands the shards over to other indexers. */
  abstract close(): Promise<void>;
}

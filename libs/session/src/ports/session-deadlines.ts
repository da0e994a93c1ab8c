import type { SessionId } from '@sg/schema';

export interface DueSession {
  shard: number;
  sessionId: SessionId;
}

/** When each open session's no-answer or ICE deadline falls, kept where every indexer can see it. */
export abstract class SessionDeadlines {
  /** Sets (a time in Unix ms) or clears (null) each session's deadline. */
  abstract schedule(shard: number, deadlines: ReadonlyMap<SessionId, number | null>): Promise<void>;
  /** Sessions of these shards whose deadline is at or before `now`. */
  abstract due(shards: readonly number[], now: number, limit: number): Promise<DueSession[]>;
  /** The earliest deadline among these shards, if any. */
  abstract earliest(shards: readonly number[]): Promise<number | null>;
}

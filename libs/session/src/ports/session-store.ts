import type { SessionDocument, SessionId } from '@sg/schema';
import type { SessionFold } from '../fold/session-fold';
import type { SessionSearchOptions, SessionSearchQuery, SessionSearchResult } from '../search/session-search';

/** A session as the indexer writes it: the document operators search, and the fold it was rendered from. */
export interface StoredSession {
  document: SessionDocument;
  fold: SessionFold;
}

/**
 * Where session documents live (PROTOCOL section 2): SQLite by default, Meilisearch in
 * production. Every implementation passes the one contract suite
 * (`describeSessionStore` in the store lib).
 */
export abstract class SessionStore {
  /** Creates tables or index settings; safe to call on every start. */
  abstract init(): Promise<void>;
  /** Writes a batch; resolved only once it is durable (and, for Meilisearch, applied). */
  abstract write(sessions: readonly StoredSession[]): Promise<void>;
  /** The folds of the sessions that exist among `ids`. */
  abstract loadFolds(ids: readonly SessionId[]): Promise<Map<SessionId, SessionFold>>;
  abstract get(id: SessionId): Promise<SessionDocument | null>;
  /**
   * Finds sessions with Meilisearch's semantics on every implementation (PROTOCOL section 3).
   * When `options.signal` aborts, the search is abandoned as far as the store can (a SQLite
   * search worker is ended) and the promise rejects with `SessionSearchCancelledError`.
   */
  abstract search(query: SessionSearchQuery, options?: SessionSearchOptions): Promise<SessionSearchResult>;
  /** Deletes sessions that ended before `cutoff` (Unix seconds); returns how many. */
  abstract deleteEndedBefore(cutoff: number): Promise<number>;
  /** Throws when the store cannot serve; used by readiness probes. */
  abstract check(): Promise<void>;
  abstract close(): Promise<void>;
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SessionDocument, SessionId } from '@sg/schema';
import { SessionFold, SessionSearchCancelledError, SessionSearchOptions, SessionSearchQuery, SessionSearchResult, SessionStore, StoredSession } from '@sg/session';
import { registerSqliteFilterFunctions } from './compile-sqlite-filter';
import { SqliteCandidateTypeSets } from './sqlite-candidate-type-sets';
import { createSqliteSchema, SESSION_COLUMNS } from './sqlite-schema';
import { searchSqliteSessions } from './sqlite-session-search';
import { SqliteSearchPool, type SqliteSearchWorkerEntry } from './search-pool/sqlite-search-pool';
import { BUSY_TIMEOUT_MS, retryWhileBusy } from './retry-while-busy';

export interface SqliteSessionStoreOptions {
  /** File path, or `:memory:` for tests. */
  readonly path: string;
  /**
   * Run searches in this many worker threads, off the event loop (admin-search). Without it,
   * and always for `:memory:`, searches run on the calling thread (the indexer, tests).
   */
  readonly searchWorkers?: { readonly size: number; readonly entry: SqliteSearchWorkerEntry };
}

/** Rows deleted per retention transaction, so the writer is never blocked for long. */
const DELETE_CHUNK = 5_000;

/**
 * Sessions in SQLite (better-sqlite3): the default store. WAL lets admin-search read
 * while the indexer writes; a batch is one transaction, durable when `write` returns.
 */
export class SqliteSessionStore extends SessionStore {
  readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly upsertBody: Database.Statement;
  private readonly writeBatch: (sessions: readonly StoredSession[]) => void;
  private readonly searchPool: SqliteSearchPool | null;

  constructor(options: SqliteSessionStoreOptions) {
    super();
    // admin-search opens the file read-write too: whichever app starts first creates it
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // SQLite answers BUSY here without waiting while the other app is opening the same file
    retryWhileBusy(() => this.db.pragma('journal_mode = WAL'), BUSY_TIMEOUT_MS);
    // a committed batch survives a process crash; an OS crash may lose the last commits
    this.db.pragma('synchronous = NORMAL');
    // the facet-key function backs expression indexes: every connection that writes needs it
    registerSqliteFilterFunctions(this.db);
    createSqliteSchema(this.db);
    const columns = SESSION_COLUMNS.map((c) => `"${c}"`).join(', ');
    const values = SESSION_COLUMNS.map((c) => `@${c}`).join(', ');
    const updates = SESSION_COLUMNS.filter((c) => c !== 'session_id').map((c) => `"${c}" = excluded."${c}"`).join(', ');
    this.upsert = this.db.prepare(`INSERT INTO sessions (${columns}) VALUES (${values}) ON CONFLICT(session_id) DO UPDATE SET ${updates}`);
    this.upsertBody = this.db.prepare(
      'INSERT INTO session_bodies (session_id, document, fold) VALUES (?, ?, ?) ON CONFLICT(session_id) DO UPDATE SET document = excluded.document, fold = excluded.fold',
    );
    const typeSets = new SqliteCandidateTypeSets(this.db);
    const writeInTransaction = this.db.transaction((sessions: readonly StoredSession[]) => {
      for (const session of sessions) {
        this.upsert.run(toRow(session, typeSets));
        this.upsertBody.run(session.document.session_id, JSON.stringify(session.document), JSON.stringify(session.fold));
      }
    });
    this.writeBatch = (sessions) => {
      try {
        writeInTransaction(sessions);
      } catch (error) {
        typeSets.forgetUncommitted();
        throw error;
      }
      typeSets.commit();
    };
    const workers = options.searchWorkers;
    this.searchPool = workers && workers.size > 0 && options.path !== ':memory:' ? new SqliteSearchPool({ path: options.path, ...workers }) : null;
  }

  async init(): Promise<void> {
    // the schema is created in the constructor, before statements are prepared against it
  }

  async write(sessions: readonly StoredSession[]): Promise<void> {
    if (sessions.length > 0) this.writeBatch(sessions);
  }

  async loadFolds(ids: readonly SessionId[]): Promise<Map<SessionId, SessionFold>> {
    const folds = new Map<SessionId, SessionFold>();
    // SQLite's default limit on bound parameters is 32766; stay far below it
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db
        .prepare(`SELECT session_id, fold FROM session_bodies WHERE session_id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as Array<{ session_id: SessionId; fold: string }>;
      for (const row of rows) folds.set(row.session_id, JSON.parse(row.fold) as SessionFold);
    }
    return folds;
  }

  async get(id: SessionId): Promise<SessionDocument | null> {
    const row = this.db.prepare('SELECT document FROM session_bodies WHERE session_id = ?').get(id) as { document: string } | undefined;
    return row ? (JSON.parse(row.document) as SessionDocument) : null;
  }

  async search(query: SessionSearchQuery, options: SessionSearchOptions = {}): Promise<SessionSearchResult> {
    if (this.searchPool) return this.searchPool.run(query, options.signal);
    if (options.signal?.aborted) throw new SessionSearchCancelledError();
    return searchSqliteSessions(this.db, query);
  }

  async deleteEndedBefore(cutoff: number): Promise<number> {
    const chunk = this.db.prepare(
      'DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ? LIMIT ?)',
    );
    let deleted = 0;
    for (;;) {
      const changes = chunk.run(cutoff, DELETE_CHUNK).changes;
      deleted += changes;
      if (changes < DELETE_CHUNK) return deleted;
      // let the event loop (health probes) breathe between chunks
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async check(): Promise<void> {
    this.db.prepare('SELECT 1').get();
    if (this.searchPool && !this.searchPool.started) throw new Error('no search worker has opened the database yet');
  }

  async close(): Promise<void> {
    await this.searchPool?.close();
    if (this.db.open) this.db.close();
  }
}

function toRow({ document: d }: StoredSession, typeSets: SqliteCandidateTypeSets): Record<(typeof SESSION_COLUMNS)[number], unknown> {
  const candidateTypesA = JSON.stringify(d.candidate_types_a);
  const candidateTypesB = JSON.stringify(d.candidate_types_b);
  return {
    session_id: d.session_id,
    room_id: d.room_id,
    kind: d.kind,
    connection_state: d.connection_state,
    failure_reason: d.failure_reason,
    failure_detail: d.failure_detail,
    created_at: d.created_at,
    updated_at: d.updated_at,
    ended_at: d.ended_at,
    client_a_id: d.client_a_id,
    client_b_id: d.client_b_id,
    client_a_user: d.client_a_user,
    client_b_user: d.client_b_user,
    client_a_remote_addr: d.client_a_remote_addr,
    client_b_remote_addr: d.client_b_remote_addr,
    client_a_user_agent: d.client_a_user_agent,
    client_b_user_agent: d.client_b_user_agent,
    client_a_node: d.client_a_node,
    client_b_node: d.client_b_node,
    relay_used: d.relay_used === null ? null : d.relay_used ? 1 : 0,
    ice_restarts: d.ice_restarts,
    renegotiations: d.renegotiations,
    end_reason: d.end_reason,
    candidate_types_a: candidateTypesA,
    candidate_types_b: candidateTypesB,
    candidate_types_a_set: typeSets.idOf(candidateTypesA),
    candidate_types_b_set: typeSets.idOf(candidateTypesB),
    duration_ms: d.duration_ms,
    time_to_connected_ms: d.time_to_connected_ms,
    rtt_ms: d.rtt_ms,
  };
}

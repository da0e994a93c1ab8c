import { SESSION_SEARCHABLE_FIELDS } from '@sg/schema';
import type Database from 'better-sqlite3';
import { SQLITE_FACET_KEY_FUNCTION } from './compile-sqlite-filter';
import { migrateSqliteSessions } from './migrate-sqlite-sessions';
import { SQLITE_CANDIDATE_TYPE_SET_INDEXES, SQLITE_CANDIDATE_TYPE_SET_TABLES } from './sqlite-candidate-type-sets';
import { SQLITE_FACET_HOURS_TABLE, SQLITE_FACET_HOURS_TRIGGERS } from './sqlite-facet-hours';

/**
 * Two rows per session. `sessions` holds the filterable, sortable and searchable fields as
 * columns (named as in PROTOCOL section 2, so filters compile to columns directly; arrays as
 * JSON text, `relay_used` as 0/1/NULL). `session_bodies` holds the whole document and its fold
 * as JSON: kilobytes per session (a timeline of up to 200 events), kept out of `sessions` so a
 * filter that no index serves scans a few hundred bytes per session, not the whole document.
 * Beside them: the candidate type sets (sqlite-candidate-type-sets.ts) and the hourly facet
 * counts (sqlite-facet-hours.ts).
 */
export const SESSION_COLUMNS = [
  'session_id',
  'room_id',
  'kind',
  'connection_state',
  'failure_reason',
  'failure_detail',
  'created_at',
  'updated_at',
  'ended_at',
  'client_a_id',
  'client_b_id',
  'client_a_user',
  'client_b_user',
  'client_a_remote_addr',
  'client_b_remote_addr',
  'client_a_user_agent',
  'client_b_user_agent',
  'client_a_node',
  'client_b_node',
  'relay_used',
  'ice_restarts',
  'renegotiations',
  'end_reason',
  'candidate_types_a',
  'candidate_types_b',
  'candidate_types_a_set',
  'candidate_types_b_set',
  'duration_ms',
  'time_to_connected_ms',
  'rtt_ms',
] as const;

const searchable = SESSION_SEARCHABLE_FIELDS.map((field) => `"${field}"`);

/** The tables; each statement is idempotent. */
export const SQLITE_TABLES = [
  `CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'call',
    connection_state TEXT NOT NULL,
    failure_reason TEXT,
    failure_detail TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    ended_at REAL,
    client_a_id TEXT,
    client_b_id TEXT,
    client_a_user TEXT,
    client_b_user TEXT,
    client_a_remote_addr TEXT,
    client_b_remote_addr TEXT,
    client_a_user_agent TEXT,
    client_b_user_agent TEXT,
    client_a_node TEXT,
    client_b_node TEXT,
    relay_used INTEGER,
    ice_restarts INTEGER NOT NULL,
    renegotiations INTEGER NOT NULL DEFAULT 0,
    end_reason TEXT,
    candidate_types_a TEXT NOT NULL,
    candidate_types_b TEXT NOT NULL,
    candidate_types_a_set INTEGER,
    candidate_types_b_set INTEGER,
    duration_ms REAL,
    time_to_connected_ms REAL,
    rtt_ms REAL
  )`,
  `CREATE TABLE IF NOT EXISTS session_bodies (
    session_id TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    fold TEXT NOT NULL
  ) WITHOUT ROWID`,
  ...SQLITE_CANDIDATE_TYPE_SET_TABLES,
  SQLITE_FACET_HOURS_TABLE,
];

/**
 * Triggers, indexes and the full-text index over the tables; each statement is idempotent.
 * Needs `registerSqliteFilterFunctions` on the connection first.
 */
export const SQLITE_SCHEMA = [
  `CREATE TRIGGER IF NOT EXISTS sessions_bodies_delete AFTER DELETE ON sessions BEGIN
    DELETE FROM session_bodies WHERE session_id = old.session_id;
  END`,
  // the default listing; with the state and reason (as stored, and as facet keys) it also counts
  // their facets in a time range from the index alone, and SQLite's planner then prefers the
  // state index for `connection_state = x AND created_at ...` instead of calling sg_facet_key()
  // on every row of the range
  `CREATE INDEX IF NOT EXISTS sessions_created_at_states ON sessions (created_at, ${SQLITE_FACET_KEY_FUNCTION}(connection_state), ${SQLITE_FACET_KEY_FUNCTION}(failure_reason), connection_state, failure_reason)`,
  // the operator page's facets (state, reason, room) in a time window from one index; kept apart
  // from the narrower one above, which the planner keeps using for state plus time
  `CREATE INDEX IF NOT EXISTS sessions_created_at_facets ON sessions (created_at, ${SQLITE_FACET_KEY_FUNCTION}(connection_state), ${SQLITE_FACET_KEY_FUNCTION}(failure_reason), connection_state, failure_reason, ${SQLITE_FACET_KEY_FUNCTION}(room_id), room_id)`,
  'CREATE INDEX IF NOT EXISTS sessions_updated_at ON sessions (updated_at)',
  // retention deletes by end time
  'CREATE INDEX IF NOT EXISTS sessions_ended_at ON sessions (ended_at)',
  // string filters compare Meilisearch facet keys (compile-sqlite-filter.ts), so the indexes are
  // on the same expression; "state or reason or room (or calls apart from probes) in a time
  // range, newest first" is the typical operator query, hence created_at second
  ...['connection_state', 'failure_reason', 'room_id', 'kind'].map(
    (column) => `CREATE INDEX IF NOT EXISTS sessions_key_${column}_created_at ON sessions (${SQLITE_FACET_KEY_FUNCTION}(${column}), created_at)`,
  ),
  ...['client_a_id', 'client_b_id', 'client_a_user', 'client_b_user', 'client_a_remote_addr', 'client_b_remote_addr'].map(
    (column) => `CREATE INDEX IF NOT EXISTS sessions_key_${column} ON sessions (${SQLITE_FACET_KEY_FUNCTION}(${column}))`,
  ),
  ...SQLITE_CANDIDATE_TYPE_SET_INDEXES,
  ...SQLITE_FACET_HOURS_TRIGGERS,
  // full text over the fields section 2 names; `.`, `:`, `@`, `-`, `_` stay inside tokens so
  // an address, a user id or a peer id is one token that a prefix query finds
  `CREATE VIRTUAL TABLE IF NOT EXISTS sessions_fts USING fts5(${searchable.join(', ')}, content='sessions', content_rowid='rowid', tokenize="unicode61 tokenchars '.:@-_'")`,
  `CREATE TRIGGER IF NOT EXISTS sessions_fts_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO sessions_fts(rowid, ${searchable.join(', ')}) VALUES (new.rowid, ${searchable.map((c) => `new.${c}`).join(', ')});
  END`,
  `CREATE TRIGGER IF NOT EXISTS sessions_fts_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO sessions_fts(sessions_fts, rowid, ${searchable.join(', ')}) VALUES ('delete', old.rowid, ${searchable.map((c) => `old.${c}`).join(', ')});
  END`,
  // only when a searchable field changed: most writes change states and timings, not these
  `CREATE TRIGGER IF NOT EXISTS sessions_fts_update AFTER UPDATE ON sessions
    WHEN ${searchable.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ')}
  BEGIN
    INSERT INTO sessions_fts(sessions_fts, rowid, ${searchable.join(', ')}) VALUES ('delete', old.rowid, ${searchable.map((c) => `old.${c}`).join(', ')});
    INSERT INTO sessions_fts(rowid, ${searchable.join(', ')}) VALUES (new.rowid, ${searchable.map((c) => `new.${c}`).join(', ')});
  END`,
];

/**
 * Creates the schema, or brings a file an older version wrote up to date
 * (`migrateSqliteSessions`) before the indexes that name newer columns. One immediate
 * transaction: the indexer and admin-search may open the same file at the same time.
 */
export function createSqliteSchema(db: Database.Database): void {
  // a migration of a large file takes longer than a write batch: the other app waits for it
  // rather than failing its start after the usual busy timeout
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${MIGRATION_BUSY_TIMEOUT_MS}`);
  try {
    db.transaction(() => {
      for (const statement of SQLITE_TABLES) db.exec(statement);
      migrateSqliteSessions(db);
      for (const statement of SQLITE_SCHEMA) db.exec(statement);
    }).immediate();
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/** A million sessions migrate in about 12 s on two cores (docs/benchmarks.md); a slow disk or a busy machine takes longer. */
const MIGRATION_BUSY_TIMEOUT_MS = 300_000;

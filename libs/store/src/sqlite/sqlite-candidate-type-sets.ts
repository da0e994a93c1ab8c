import type Database from 'better-sqlite3';
import { SQLITE_FACET_KEY_FUNCTION } from './compile-sqlite-filter';

/*
 * `candidate_types_a` and `candidate_types_b` are arrays of a handful of markers (PROTOCOL
 * section 2), so sessions share a few dozen distinct arrays. Each distinct array is a row of
 * `session_candidate_type_sets` (its JSON text as stored in `sessions`), its elements' facet keys
 * rows of `session_candidate_type_set_members`, and a session holds the set's id
 * (`candidate_types_a_set`, `candidate_types_b_set`, indexed). A condition on an array is then a
 * set operation, not a scan of every row's JSON: `candidate_types_a IN [300 values]` is
 * `candidate_types_a_set IN (SELECT set_id FROM members WHERE type_key IN (...))`, a few set ids
 * looked up in an index, and a `!=` chain its complement. Sets are only ever added (a few dozen),
 * so an id stays valid for good.
 */

/** The array column and the set-id column of each side. */
export const CANDIDATE_TYPE_SET_COLUMNS = {
  candidate_types_a: 'candidate_types_a_set',
  candidate_types_b: 'candidate_types_b_set',
} as const;

export const SQLITE_CANDIDATE_TYPE_SET_TABLES = [
  `CREATE TABLE IF NOT EXISTS session_candidate_type_sets (
    set_id INTEGER PRIMARY KEY,
    types TEXT NOT NULL UNIQUE
  )`,
  // an array's text elements by Meilisearch facet key (sg_facet_key), the key a filter compares:
  // elements without one ("", or only spaces) match no `=`, IN or range, as in Meilisearch
  `CREATE TABLE IF NOT EXISTS session_candidate_type_set_members (
    type_key TEXT NOT NULL,
    set_id INTEGER NOT NULL,
    PRIMARY KEY (type_key, set_id)
  ) WITHOUT ROWID`,
];

/**
 * Indexes on the sessions' set ids; each statement is idempotent. With `created_at` second, the
 * newest page of a condition that matches a third of all sessions is read from the end of each
 * set's range (SQLite stops after LIMIT rows per IN value) instead of sorting all of them.
 */
export const SQLITE_CANDIDATE_TYPE_SET_INDEXES = Object.values(CANDIDATE_TYPE_SET_COLUMNS).map(
  (column) => `CREATE INDEX IF NOT EXISTS sessions_${column}_created_at ON sessions (${column}, created_at)`,
);

/** The members of a set: parameters its id, then its JSON text. (A function: compile-sqlite-filter.ts imports this file.) */
const insertMembers = () => `INSERT OR IGNORE INTO session_candidate_type_set_members (type_key, set_id)
  SELECT ${SQLITE_FACET_KEY_FUNCTION}(value), ? FROM json_each(?) WHERE type = 'text' AND ${SQLITE_FACET_KEY_FUNCTION}(value) IS NOT NULL`;

/**
 * The SQL condition "some element of `field`'s array has a facet key for which `predicate` (e.g.
 * `IN (?, ?)`, `> ?`) holds": NULL for a session whose array is NULL, as `EXISTS` over nothing
 * would be false; callers collapse NULL to false.
 */
export function sqliteCandidateTypesCondition(field: keyof typeof CANDIDATE_TYPE_SET_COLUMNS, predicate: string): string {
  return `"${CANDIDATE_TYPE_SET_COLUMNS[field]}" IN (SELECT set_id FROM session_candidate_type_set_members WHERE type_key ${predicate})`;
}

/**
 * Gives every array in `sessions` its set and every session its set ids. For a file written
 * before the sets existed (`migrateSqliteSessions`) and for tests that fill `sessions` with SQL.
 * Needs `registerSqliteFilterFunctions` on the connection.
 */
export function fillSqliteCandidateTypeSets(db: Database.Database): void {
  db.exec(`INSERT OR IGNORE INTO session_candidate_type_sets (types)
    SELECT candidate_types_a FROM sessions WHERE candidate_types_a IS NOT NULL
    UNION SELECT candidate_types_b FROM sessions WHERE candidate_types_b IS NOT NULL`);
  const members = db.prepare(insertMembers());
  for (const { set_id, types } of db.prepare('SELECT set_id, types FROM session_candidate_type_sets').all() as Array<{ set_id: number; types: string }>) {
    members.run(set_id, types);
  }
  db.exec(`UPDATE sessions SET
    candidate_types_a_set = (SELECT set_id FROM session_candidate_type_sets WHERE types = sessions.candidate_types_a),
    candidate_types_b_set = (SELECT set_id FROM session_candidate_type_sets WHERE types = sessions.candidate_types_b)`);
}

/**
 * The writer's side: the set id of an array's JSON text, adding the set inside the caller's write
 * transaction the first time it is seen. Ids are cached; a set added by a transaction that then
 * rolls back is forgotten (`forgetUncommitted`), so the cache only holds committed sets.
 */
export class SqliteCandidateTypeSets {
  private readonly known = new Map<string, number>();
  private readonly uncommitted = new Map<string, number>();
  private readonly insertSet: Database.Statement;
  private readonly selectSet: Database.Statement;
  private readonly insertMembers: Database.Statement;

  constructor(db: Database.Database) {
    this.insertSet = db.prepare('INSERT INTO session_candidate_type_sets (types) VALUES (?) ON CONFLICT (types) DO NOTHING');
    this.selectSet = db.prepare('SELECT set_id FROM session_candidate_type_sets WHERE types = ?').pluck();
    this.insertMembers = db.prepare(insertMembers());
  }

  /** The set id of `types` (an array as JSON text). Call inside the write transaction. */
  idOf(types: string): number {
    const id = this.known.get(types) ?? this.uncommitted.get(types);
    if (id !== undefined) return id;
    // another process (or an earlier run) may have added it: the UNIQUE column decides
    this.insertSet.run(types);
    const added = this.selectSet.get(types) as number;
    this.insertMembers.run(added, types);
    this.uncommitted.set(types, added);
    return added;
  }

  /** After the transaction committed. */
  commit(): void {
    for (const [types, id] of this.uncommitted) this.known.set(types, id);
    this.uncommitted.clear();
  }

  /** After the transaction rolled back. */
  forgetUncommitted(): void {
    this.uncommitted.clear();
  }
}

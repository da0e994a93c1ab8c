import type Database from 'better-sqlite3';
import { fillSqliteCandidateTypeSets } from './sqlite-candidate-type-sets';
import { fillSqliteFacetHours, SQLITE_FACET_HOURS_INSERT_TRIGGER } from './sqlite-facet-hours';

/** Columns added to `sessions` since the first version, with how an older row gets them (PROTOCOL section 2). */
const ADDED_COLUMNS: ReadonlyArray<[name: string, definition: string]> = [
  ['kind', "TEXT NOT NULL DEFAULT 'call'"],
  ['renegotiations', 'INTEGER NOT NULL DEFAULT 0'],
  ['end_reason', 'TEXT'],
];

/** Set ids of the candidate type arrays (sqlite-candidate-type-sets.ts), added later still. */
const CANDIDATE_TYPE_SET_COLUMNS: ReadonlyArray<[name: string, definition: string]> = [
  ['candidate_types_a_set', 'INTEGER'],
  ['candidate_types_b_set', 'INTEGER'],
];

/*
 * An older row's values, from what it holds. `kind`: a session with the probe as side B is a
 * probe. `renegotiations`: 0, as the older version counted every later offer as an ICE
 * restart. `end_reason`: `failed` for a failed session; for a closed one, the reason of the
 * departure at its end time (its fold says who left when), else a hang-up reported as a
 * `closed` state, which counts as `bye`. Times: the document's `ended_at` is the departure's
 * ms / 1000, the same division SQLite does here.
 */
const BACKFILL = [
  `UPDATE sessions SET kind = CASE WHEN client_b_id = 'probe' THEN 'probe' ELSE 'call' END`,
  `UPDATE sessions SET end_reason = CASE connection_state
     WHEN 'failed' THEN 'failed'
     WHEN 'closed' THEN coalesce((
       SELECT CASE
         WHEN json_extract(body.fold, '$.a.left.t') / 1000.0 = sessions.ended_at THEN json_extract(body.fold, '$.a.left.reason')
         WHEN json_extract(body.fold, '$.b.left.t') / 1000.0 = sessions.ended_at THEN json_extract(body.fold, '$.b.left.reason')
       END
       FROM session_bodies AS body WHERE body.session_id = sessions.session_id
     ), 'bye')
   END
   WHERE ended_at IS NOT NULL`,
  // the stored documents get the fields too: GET /api/sessions/:id and search hits show them
  `UPDATE session_bodies SET document = (
     SELECT json_set(session_bodies.document, '$.kind', s.kind, '$.renegotiations', s.renegotiations, '$.end_reason', s.end_reason, '$.trace_id', NULL)
     FROM sessions AS s WHERE s.session_id = session_bodies.session_id
   )
   WHERE json_type(document, '$.kind') IS NULL AND session_id IN (SELECT session_id FROM sessions)`,
];

/**
 * Brings a sessions file an older version wrote up to date: the columns added since are added
 * and filled from what each row holds, so filters on them find older sessions too, not only
 * those written after the upgrade; the candidate type sets are built and every session given
 * its set ids; and the hourly facet counts are counted from the sessions when the triggers
 * that keep them are not there yet. Does nothing on a current file. Call it inside the
 * transaction that creates the schema, after the tables and before the indexes and triggers.
 * Needs `registerSqliteFilterFunctions` on the connection.
 */
export function migrateSqliteSessions(db: Database.Database): void {
  const present = new Set((db.prepare('PRAGMA table_info(sessions)').all() as Array<{ name: string }>).map((column) => column.name));
  const addMissing = (columns: ReadonlyArray<[name: string, definition: string]>): boolean => {
    const missing = columns.filter(([name]) => !present.has(name));
    for (const [name, definition] of missing) db.exec(`ALTER TABLE sessions ADD COLUMN ${name} ${definition}`);
    return missing.length > 0;
  };
  if (addMissing(ADDED_COLUMNS)) for (const statement of BACKFILL) db.exec(statement);
  if (addMissing(CANDIDATE_TYPE_SET_COLUMNS)) fillSqliteCandidateTypeSets(db);
  const counted = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(SQLITE_FACET_HOURS_INSERT_TRIGGER);
  if (!counted) fillSqliteFacetHours(db);
}

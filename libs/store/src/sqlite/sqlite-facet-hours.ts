import type Database from 'better-sqlite3';
import { parseFilterNumber, type FilterNode } from '@sg/session';

/*
 * Facet counts per hour of `created_at`, so facets over all sessions (or any range of whole hours)
 * add up a few thousand counts instead of grouping a million rows. `session_facet_hours` holds,
 * for each hour, each counted field and each value as stored (NULLs are not counted, as
 * Meilisearch counts none), the number of sessions created in that hour with that value. Triggers
 * on `sessions` keep it in step inside the writing transaction: an insert adds one per field, a
 * delete (retention) takes one off, and an update that changes a counted field or the hour moves
 * that count from the old value (and hour) to the new one. A search reads them in the same read
 * transaction as its page, so counts and hits always agree.
 */

/**
 * The fields counted per hour: the facets with a handful of values, which sqlite-session-search.ts
 * counts together in one pass. Many-valued facets (rooms, users) are counted in key order up to
 * the first 100 values, which an index already makes cheap.
 */
export const HOURLY_FACET_FIELDS = ['kind', 'connection_state', 'failure_reason', 'end_reason', 'relay_used', 'ice_restarts', 'renegotiations'] as const;
export type HourlyFacetField = (typeof HOURLY_FACET_FIELDS)[number];

const SECONDS_PER_HOUR = 3_600;

/**
 * The hour of a time in Unix seconds, floor(t / 3600), exactly: a float division can round up to
 * the next whole number just below an hour's start, so the truncated quotient is checked by
 * multiplying back (integer times 3600 compared with the REAL time is exact in SQLite). Also right
 * for negative times, where CAST truncates towards zero.
 */
function sqlHourOf(time: string): string {
  const truncated = `CAST(${time} / ${SECONDS_PER_HOUR} AS INTEGER)`;
  return `(${truncated} - (${truncated} * ${SECONDS_PER_HOUR} > ${time}))`;
}

/** `(field, value)` rows of one side of a change: `row` is `new` or `old`. */
function valuesOf(row: 'new' | 'old'): string {
  return HOURLY_FACET_FIELDS.map((field) => `SELECT '${field}' AS field, ${row}."${field}" AS value`).join(' UNION ALL ');
}

const ADD = 'ON CONFLICT (hour, field, value) DO UPDATE SET n = n + excluded.n';

/** The table; idempotent. `value` has no declared type, so it keeps what the column stored (1 and '1' stay apart, as in a GROUP BY). */
export const SQLITE_FACET_HOURS_TABLE = `CREATE TABLE IF NOT EXISTS session_facet_hours (
  hour INTEGER NOT NULL,
  field TEXT NOT NULL,
  value NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (hour, field, value)
) WITHOUT ROWID`;

/** The trigger whose presence says the counts are kept (see `fillSqliteFacetHours`). */
export const SQLITE_FACET_HOURS_INSERT_TRIGGER = 'sessions_facet_hours_insert';

/** The triggers that keep the counts; each statement is idempotent. */
export const SQLITE_FACET_HOURS_TRIGGERS = [
  `CREATE TRIGGER IF NOT EXISTS ${SQLITE_FACET_HOURS_INSERT_TRIGGER} AFTER INSERT ON sessions BEGIN
    INSERT INTO session_facet_hours (hour, field, value, n)
      SELECT ${sqlHourOf('new.created_at')}, field, value, 1 FROM (${valuesOf('new')}) WHERE value IS NOT NULL ${ADD};
  END`,
  `CREATE TRIGGER IF NOT EXISTS sessions_facet_hours_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO session_facet_hours (hour, field, value, n)
      SELECT ${sqlHourOf('old.created_at')}, field, value, -1 FROM (${valuesOf('old')}) WHERE value IS NOT NULL ${ADD};
    DELETE FROM session_facet_hours WHERE hour = ${sqlHourOf('old.created_at')} AND n = 0;
  END`,
  // most writes change a state or a timing: only a counted field that changed (or a new hour,
  // when an earlier event arrived late) moves a count
  `CREATE TRIGGER IF NOT EXISTS sessions_facet_hours_update AFTER UPDATE OF created_at, ${HOURLY_FACET_FIELDS.join(', ')} ON sessions
    WHEN ${sqlHourOf('old.created_at')} <> ${sqlHourOf('new.created_at')} OR ${HOURLY_FACET_FIELDS.map((field) => `old."${field}" IS NOT new."${field}"`).join(' OR ')}
  BEGIN
    INSERT INTO session_facet_hours (hour, field, value, n)
      SELECT hour, field, value, n FROM (
        SELECT ${sqlHourOf('old.created_at')} AS hour, field, value, -1 AS n FROM (${valuesOf('old')})
        UNION ALL
        SELECT ${sqlHourOf('new.created_at')}, field, value, 1 FROM (${valuesOf('new')})
      ) WHERE value IS NOT NULL ${ADD};
    DELETE FROM session_facet_hours WHERE hour = ${sqlHourOf('old.created_at')} AND n = 0;
  END`,
];

/**
 * Counts every session into `session_facet_hours` from scratch: for a file written before the
 * counts existed, inside the schema transaction, before the triggers are created.
 */
export function fillSqliteFacetHours(db: Database.Database): void {
  db.exec('DELETE FROM session_facet_hours');
  for (const field of HOURLY_FACET_FIELDS) {
    db.exec(`INSERT INTO session_facet_hours (hour, field, value, n)
      SELECT ${sqlHourOf('created_at')} AS hour, '${field}', "${field}", count(*) FROM sessions WHERE "${field}" IS NOT NULL GROUP BY 1, 3`);
  }
}

/** A bound of a `created_at` range: the time, and whether the range includes it. */
interface Bound {
  readonly at: number;
  readonly inclusive: boolean;
}

/** How a search whose filter is only a `created_at` range counts facets from the hours. */
export interface HourlyFacetPlan {
  /** The whole hours inside the range, `[fromHour, toHour)`; null when unbounded on that side. */
  readonly fromHour: number | null;
  readonly toHour: number | null;
  /** What is left at either end (part of an hour), as conditions on `created_at` to count by scanning. */
  readonly edges: ReadonlyArray<{ readonly sql: string; readonly params: number[] }>;
}

/** Beyond this, hours times 3600 are no longer exact in a double; such times are not sessions' anyway. */
const LARGEST_TIME = 2 ** 52;

/**
 * The plan for `filter` when it is nothing but bounds on `created_at` (none, `>`, `>=`, `<`, `<=`,
 * `=`, `TO`, joined by AND) and the range holds at least one whole hour; null otherwise, and the
 * search counts by scanning as before. Bounds compare as the compiled filter compares them
 * (`parseFilterNumber`); a bound that is not a number is left to the scan, which matches nothing.
 */
export function planHourlyFacets(filter: FilterNode | null): HourlyFacetPlan | null {
  let low: Bound | null = null;
  let high: Bound | null = null;
  const tighten = (side: 'low' | 'high', bound: Bound) => {
    if (side === 'low') {
      if (!low || bound.at > low.at || (bound.at === low.at && !bound.inclusive)) low = bound;
    } else if (!high || bound.at < high.at || (bound.at === high.at && !bound.inclusive)) high = bound;
  };
  const read = (node: FilterNode): boolean => {
    switch (node.type) {
      case 'and':
        return node.operands.every(read);
      case 'range': {
        const from = parseFilterNumber(node.from);
        const to = parseFilterNumber(node.to);
        if (node.field !== 'created_at' || from === null || to === null) return false;
        tighten('low', { at: from, inclusive: true });
        tighten('high', { at: to, inclusive: true });
        return true;
      }
      case 'comparison': {
        const at = parseFilterNumber(node.value);
        if (node.field !== 'created_at' || at === null || node.operator === '!=') return false;
        if (node.operator === '=' || node.operator === '>=' || node.operator === '>') tighten('low', { at, inclusive: node.operator !== '>' });
        if (node.operator === '=' || node.operator === '<=' || node.operator === '<') tighten('high', { at, inclusive: node.operator !== '<' });
        return true;
      }
      default:
        return false;
    }
  };
  if (filter !== null && !read(filter)) return null;
  const lowBound = low as Bound | null;
  const highBound = high as Bound | null;
  if ((lowBound && Math.abs(lowBound.at) > LARGEST_TIME) || (highBound && Math.abs(highBound.at) > LARGEST_TIME)) return null;
  // whole hours: from the first that starts inside the range to the one that holds its end
  const fromHour = lowBound ? firstHourStartingIn(lowBound) : null;
  const toHour = highBound ? lastHourStartAtOrBefore(highBound.at) : null;
  if (fromHour !== null && toHour !== null && fromHour >= toHour) return null;
  const edges: Array<{ sql: string; params: number[] }> = [];
  if (lowBound && fromHour !== null) edges.push({ sql: `created_at ${lowBound.inclusive ? '>=' : '>'} ? AND created_at < ?`, params: [lowBound.at, fromHour * SECONDS_PER_HOUR] });
  if (highBound && toHour !== null) edges.push({ sql: `created_at >= ? AND created_at ${highBound.inclusive ? '<=' : '<'} ?`, params: [toHour * SECONDS_PER_HOUR, highBound.at] });
  return { fromHour, toHour, edges };
}

/** The first hour whose every second is at or after the bound (after, when it is not inclusive). */
function firstHourStartingIn(bound: Bound): number {
  let hour = Math.ceil(bound.at / SECONDS_PER_HOUR);
  // the division may round either way by one unit; settle it with exact multiplications
  while (hour * SECONDS_PER_HOUR < bound.at || (!bound.inclusive && hour * SECONDS_PER_HOUR === bound.at)) hour++;
  while ((hour - 1) * SECONDS_PER_HOUR > bound.at || (bound.inclusive && (hour - 1) * SECONDS_PER_HOUR === bound.at)) hour--;
  return hour;
}

/** The last hour that starts at or before `at`: every hour before it ends at or before `at`. */
function lastHourStartAtOrBefore(at: number): number {
  let hour = Math.floor(at / SECONDS_PER_HOUR);
  while (hour * SECONDS_PER_HOUR > at) hour--;
  while ((hour + 1) * SECONDS_PER_HOUR <= at) hour++;
  return hour;
}

/** Counts per field and value, as stored (a Map keeps 1 and '1' apart, as a GROUP BY does). */
export type FacetValueCounts = Map<string, Map<string | number, number>>;

/**
 * The counts of `fields` in the plan's whole hours, and the number of sessions in them (every
 * session counts once under `connection_state`, which is never NULL).
 */
export function readHourlyFacets(db: Database.Database, plan: HourlyFacetPlan, fields: readonly HourlyFacetField[]): { total: number; counts: FacetValueCounts } {
  const conditions = [`field IN (${[...new Set<string>([...fields, 'connection_state'])].map((field) => `'${field}'`).join(', ')})`];
  const params: number[] = [];
  if (plan.fromHour !== null) {
    conditions.push('hour >= ?');
    params.push(plan.fromHour);
  }
  if (plan.toHour !== null) {
    conditions.push('hour < ?');
    params.push(plan.toHour);
  }
  const rows = db
    .prepare(`SELECT field, value, sum(n) AS n FROM session_facet_hours WHERE ${conditions.join(' AND ')} GROUP BY field, value HAVING sum(n) > 0`)
    .all(...params) as Array<{ field: string; value: string | number; n: number }>;
  let total = 0;
  const counts: FacetValueCounts = new Map(fields.map((field) => [field, new Map()]));
  for (const { field, value, n } of rows) {
    if (field === 'connection_state') total += n;
    counts.get(field)?.set(value, n);
  }
  return { total, counts };
}

import type Database from 'better-sqlite3';
import { SESSION_FILTERABLE_FIELDS, type SessionDocument, type SessionFilterableField } from '@sg/schema';
import { facetKeyOf, type FacetDistribution, type SessionSearchQuery, type SessionSearchResult, type SessionSort } from '@sg/session';
import { compileSqliteFilter, SQLITE_FACET_KEY_FUNCTION } from './compile-sqlite-filter';
import { HOURLY_FACET_FIELDS, planHourlyFacets, readHourlyFacets, type FacetValueCounts, type HourlyFacetField } from './sqlite-facet-hours';

/** Meilisearch's default `maxValuesPerFacet`. */
const MAX_VALUES_PER_FACET = 100;

/**
 * Facet fields with a handful of values: grouped together in one pass that also gives the
 * total (or added up from their hourly counts). Grouping a many-valued field (a room, a user)
 * with them would multiply the groups.
 */
const FEW_VALUED_FIELDS: ReadonlySet<SessionFilterableField> = new Set(HOURLY_FACET_FIELDS);

/** For tests that compare the hourly counts with the scan they stand for. */
export interface SqliteSearchOptions {
  /** Count by scanning the matches even when hourly counts could answer. */
  readonly scanOnly?: boolean;
}

/** Sortable columns that are never NULL: no "nulls last" term, so an index can serve the order. */
const NOT_NULL_COLUMNS: ReadonlySet<string> = new Set(['created_at', 'updated_at']);

/**
 * Runs a session search on the SQLite store with Meilisearch's semantics (PROTOCOL section 3):
 * the filter compiled to parameterised SQL, `q` over the FTS5 index, sort with documents lacking
 * the sort value last in either direction, an exact `estimatedTotalHits`, and facet counts among
 * every matching session.
 */
export function searchSqliteSessions(db: Database.Database, query: SessionSearchQuery, options: SqliteSearchOptions = {}): SessionSearchResult {
  // one read transaction: the page, the count and the facets see the same snapshot while the indexer writes
  return db.transaction(() => runSearch(db, query, options)).deferred();
}

function runSearch(db: Database.Database, query: SessionSearchQuery, options: SqliteSearchOptions): SessionSearchResult {
  const filter = compileSqliteFilter(query.filter);
  const conditions = [filter.sql];
  const params = [...filter.params];
  const match = fullTextQuery(query.q);
  if (match !== null) {
    conditions.push('sessions.rowid IN (SELECT rowid FROM sessions_fts WHERE sessions_fts MATCH ?)');
    params.push(match);
  }
  const where = conditions.join(' AND ');
  // the page is chosen on the slim table; only its documents are read
  const ids = db
    .prepare(`SELECT session_id FROM sessions WHERE ${where} ORDER BY ${orderBy(query.sort)} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, query.limit, query.offset) as string[];
  const documents = new Map(
    (ids.length === 0 ? [] : (db.prepare(`SELECT session_id, document FROM session_bodies WHERE session_id IN (${ids.map(() => '?').join(', ')})`).all(...ids) as Array<{ session_id: string; document: string }>)).map(
      (row) => [row.session_id, row.document],
    ),
  );
  const hits = ids.flatMap((id) => {
    const document = documents.get(id);
    return document === undefined ? [] : [JSON.parse(document) as SessionDocument];
  });
  const few = query.facets.filter((field) => FEW_VALUED_FIELDS.has(field));
  // a filter that is only a time range: the few-valued facets and the total from the hourly
  // counts of its whole hours, plus a scan of what it holds of the hours at either end
  const hourly = match === null && !options.scanOnly ? planHourlyFacets(query.filter) : null;
  let grouped: { total: number; counts: Map<SessionFilterableField, Record<string, number>> } | null = null;
  if (hourly) {
    const counted = readHourlyFacets(db, hourly, few as HourlyFacetField[]);
    let total = counted.total;
    for (const edge of hourly.edges) {
      const scanned = scalarFacetRows(db, few, edge.sql, edge.params);
      total += scanned.total;
      addCounts(counted.counts, scanned.counts);
    }
    grouped = { total, counts: presentScalarFacets(few, counted.counts) };
  } else if (few.length > 0) {
    // the few-valued facets and the total come from one grouped pass over the matches
    const scanned = scalarFacetRows(db, few, where, params);
    grouped = { total: scanned.total, counts: presentScalarFacets(few, scanned.counts) };
  }
  const total = grouped?.total ?? (db.prepare(`SELECT count(*) FROM sessions WHERE ${where}`).pluck().get(...params) as number);
  const result: SessionSearchResult = { hits, estimatedTotalHits: total };
  if (query.facets.length === 0) return result;
  const facetDistribution: FacetDistribution = {};
  for (const field of query.facets) facetDistribution[field] = grouped?.counts.get(field) ?? manyValuedFacetCounts(db, field, where, params);
  return { ...result, facetDistribution };
}

function manyValuedFacetCounts(db: Database.Database, field: SessionFilterableField, where: string, params: unknown[]): Record<string, number> {
  switch (SESSION_FILTERABLE_FIELDS[field]) {
    case 'string-array':
      return arrayFacetCounts(db, field, where, params);
    case 'string':
      return stringFacetCounts(db, field, where, params);
    default:
      return presentScalarFacets([field], scalarFacetRows(db, [field], where, params).counts).get(field) ?? {};
  }
}

/**
 * The first 100 facet keys of a string field, in key order, and their counts. Grouping by the
 * indexed facet key lets SQLite walk the key index in order and stop after 100 groups, so a
 * field with tens of thousands of values (rooms, users) costs what its first 100 values hold,
 * not a sort of every match.
 */
function stringFacetCounts(db: Database.Database, field: SessionFilterableField, where: string, params: unknown[]): Record<string, number> {
  const key = `${SQLITE_FACET_KEY_FUNCTION}("${field}")`;
  const rows = db
    .prepare(`SELECT min("${field}") AS value, count(*) AS n FROM sessions WHERE ${where} AND ${key} IS NOT NULL GROUP BY ${key} ORDER BY ${key} LIMIT ${MAX_VALUES_PER_FACET}`)
    .all(...params) as Array<{ value: string; n: number }>;
  return meiliFacetCounts(true, rows);
}

/**
 * `q` as an FTS5 query: every word must match, each as a prefix (Meilisearch finds prefixes of
 * the last word and tolerates typos in the others; prefixes everywhere is the closest that FTS5
 * offers without typo tolerance). Words are quoted, so FTS5 syntax in `q` is plain text.
 */
function fullTextQuery(q: string): string | null {
  // Control characters separate words: FTS5 reads a quoted string only up to a NUL ("unterminated
  // string"), and no token holds one. Lone surrogates would reach SQLite as U+FFFD, which no
  // token holds either.
  const text = q.replace(/[\p{Cc}\p{Cs}]/gu, ' ');
  // a word without a letter or digit has no token to find; Meilisearch ignores it too
  const words = text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return null;
  return words.map((word) => `"${word.replace(/"/g, '""')}"*`).join(' ');
}

function orderBy(sort: readonly SessionSort[]): string {
  const terms: string[] = [];
  for (const { field, direction } of sort) {
    // Meilisearch puts documents without a value last whatever the direction
    if (!NOT_NULL_COLUMNS.has(field)) terms.push(`"${field}" IS NULL`);
    terms.push(`"${field}" ${direction === 'asc' ? 'ASC' : 'DESC'}`);
  }
  // a total order, so pages neither repeat nor skip sessions
  terms.push(`sessions.rowid ${sort[0]?.direction === 'asc' ? 'ASC' : 'DESC'}`);
  return terms.join(', ');
}

/**
 * Counts of each scalar facet's values as stored, from one `GROUP BY` over all of them together:
 * the groups are few (states times reasons), and their sum is the number of matches.
 */
function scalarFacetRows(db: Database.Database, fields: readonly SessionFilterableField[], where: string, params: unknown[]): { total: number; counts: FacetValueCounts } {
  const counts: FacetValueCounts = new Map(fields.map((field) => [field, new Map()]));
  if (fields.length === 0) return { total: db.prepare(`SELECT count(*) FROM sessions WHERE ${where}`).pluck().get(...params) as number, counts };
  const columns = fields.map((field) => `"${field}"`);
  const groups = db
    .prepare(`SELECT ${columns.join(', ')}, count(*) AS n FROM sessions WHERE ${where} GROUP BY ${columns.map((_, i) => i + 1).join(', ')}`)
    .raw()
    .all(...params) as Array<Array<string | number | null>>;
  let total = 0;
  for (const group of groups) {
    const n = group[fields.length] as number;
    total += n;
    fields.forEach((field, i) => {
      const value = group[i];
      if (value === null) return;
      const perValue = counts.get(field) as Map<string | number, number>;
      perValue.set(value, (perValue.get(value) ?? 0) + n);
    });
  }
  return { total, counts };
}

function addCounts(into: FacetValueCounts, from: FacetValueCounts): void {
  for (const [field, perValue] of from) {
    const target = into.get(field) ?? new Map<string | number, number>();
    for (const [value, n] of perValue) target.set(value, (target.get(value) ?? 0) + n);
    into.set(field, target);
  }
}

/** Stored values and counts as Meilisearch reports them. */
function presentScalarFacets(fields: readonly SessionFilterableField[], counts: FacetValueCounts): Map<SessionFilterableField, Record<string, number>> {
  const presented = new Map<SessionFilterableField, Record<string, number>>();
  for (const field of fields) {
    const kind = SESSION_FILTERABLE_FIELDS[field];
    // Meilisearch counts neither nulls nor empty strings
    const rows = [...(counts.get(field) ?? [])]
      .filter(([value]) => value !== '')
      .map(([value, n]) => ({ value: kind === 'boolean' ? (value === 1 ? 'true' : 'false') : value, n }));
    presented.set(field, meiliFacetCounts(kind === 'string', rows));
  }
  return presented;
}

/** Each element counts once per session that holds it. */
function arrayFacetCounts(db: Database.Database, field: SessionFilterableField, where: string, params: unknown[]): Record<string, number> {
  const rows = db
    .prepare(
      `SELECT e.value AS value, count(DISTINCT sessions.rowid) AS n FROM sessions, json_each(sessions."${field}") AS e
       WHERE ${where} AND e.type = 'text' AND e.value <> '' GROUP BY e.value`,
    )
    .all(...params) as Array<{ value: string; n: number }>;
  return meiliFacetCounts(true, rows);
}

/**
 * Values that share a Meilisearch facet key count as one, under the first spelling in byte
 * order. An array's distinct spellings of one key in one session would count twice here;
 * session arrays hold fixed lower-case markers, so that cannot happen. Sorted alphanumerically
 * (Meilisearch's default `sortFacetValuesBy`), the first 100 kept (`maxValuesPerFacet`).
 */
function meiliFacetCounts(strings: boolean, rows: ReadonlyArray<{ value: string | number; n: number }>): Record<string, number> {
  const merged = new Map<string, { spelling: string; n: number }>();
  for (const { value, n } of rows) {
    const spelling = String(value);
    const key = strings ? (facetKeyOf(spelling) ?? spelling) : spelling;
    const entry = merged.get(key);
    if (!entry) merged.set(key, { spelling, n });
    else {
      entry.n += n;
      if (spelling < entry.spelling) entry.spelling = spelling;
    }
  }
  const entries = [...merged.values()].map(({ spelling, n }) => [spelling, n] as const).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return Object.fromEntries(entries.slice(0, MAX_VALUES_PER_FACET));
}

import type Database from 'better-sqlite3';
import { SESSION_FILTERABLE_FIELDS, type SessionDocument, type SessionFilterableField } from '@sg/schema';
import type { FacetDistribution, SessionSearchQuery, SessionSearchResult, SessionSort } from '@sg/session';
import { compileSqliteFilter, SQLITE_FACET_KEY_FUNCTION } from './compile-sqlite-filter';

/** Meilisearch's default `maxValuesPerFacet`. */
const MAX_VALUES_PER_FACET = 100;

/** Sortable columns that are never NULL: no "nulls last" term, so an index can serve the order. */
const NOT_NULL_COLUMNS: ReadonlySet<string> = new Set(['created_at', 'updated_at']);

/**
 * Runs a session search on the SQLite store with Meilisearch's semantics (PROTOCOL section 3):
 * the filter compiled to parameterised SQL, `q` over the FTS5 index, sort with documents lacking
 * the sort value last in either direction, an exact `estimatedTotalHits`, and facet counts among
 * every matching session.
 */
export function searchSqliteSessions(db: Database.Database, query: SessionSearchQuery): SessionSearchResult {
  const filter = compileSqliteFilter(query.filter);
  const conditions = [filter.sql];
  const params = [...filter.params];
  const match = fullTextQuery(query.q);
  if (match !== null) {
    conditions.push('sessions.rowid IN (SELECT rowid FROM sessions_fts WHERE sessions_fts MATCH ?)');
    params.push(match);
  }
  const where = conditions.join(' AND ');
  const rows = db
    .prepare(`SELECT document FROM sessions WHERE ${where} ORDER BY ${orderBy(query.sort)} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, query.limit, query.offset) as string[];
  const total = db.prepare(`SELECT count(*) FROM sessions WHERE ${where}`).pluck().get(...params) as number;
  const result: SessionSearchResult = { hits: rows.map((row) => JSON.parse(row) as SessionDocument), estimatedTotalHits: total };
  if (query.facets.length === 0) return result;
  const facetDistribution: FacetDistribution = {};
  for (const field of query.facets) facetDistribution[field] = facetCounts(db, field, where, params);
  return { ...result, facetDistribution };
}

/**
 * `q` as an FTS5 query: every word must match, each as a prefix (Meilisearch finds prefixes of
 * the last word and tolerates typos in the others; prefixes everywhere is the closest that FTS5
 * offers without typo tolerance). Words are quoted, so FTS5 syntax in `q` is plain text.
 */
function fullTextQuery(q: string): string | null {
  // a word without a letter or digit has no token to find; Meilisearch ignores it too
  const words = q.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
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

function facetCounts(db: Database.Database, field: SessionFilterableField, where: string, params: unknown[]): Record<string, number> {
  const column = `"${field}"`;
  let sql: string;
  switch (SESSION_FILTERABLE_FIELDS[field]) {
    case 'string':
      // values that share a facet key count together, under one of their spellings
      sql = `SELECT min(${column}) AS value, count(*) AS n FROM sessions WHERE ${where} AND ${column} <> '' GROUP BY ${SQLITE_FACET_KEY_FUNCTION}(${column})`;
      break;
    case 'string-array':
      sql = `SELECT min(e.value) AS value, count(DISTINCT sessions.rowid) AS n FROM sessions, json_each(sessions.${column}) AS e
        WHERE ${where} AND e.type = 'text' AND e.value <> '' GROUP BY ${SQLITE_FACET_KEY_FUNCTION}(e.value)`;
      break;
    case 'boolean':
      sql = `SELECT CASE ${column} WHEN 1 THEN 'true' ELSE 'false' END AS value, count(*) AS n FROM sessions WHERE ${where} AND ${column} IS NOT NULL GROUP BY ${column}`;
      break;
    case 'number':
      sql = `SELECT ${column} AS value, count(*) AS n FROM sessions WHERE ${where} AND ${column} IS NOT NULL GROUP BY ${column}`;
      break;
  }
  const rows = db.prepare(sql).all(...params) as Array<{ value: string | number; n: number }>;
  // Meilisearch's default `sortFacetValuesBy` is alphanumeric, and it keeps the first 100 values
  const entries = rows.map(({ value, n }) => [String(value), n] as const).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return Object.fromEntries(entries.slice(0, MAX_VALUES_PER_FACET));
}

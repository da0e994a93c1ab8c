import type Database from 'better-sqlite3';
import { SESSION_FILTERABLE_FIELDS, type SessionFieldKind } from '@sg/schema';
import { facetKeyOf, normalizeFacetValue, parseFilterNumber, type FilterFieldCatalogue, type FilterNode } from '@sg/session';
import { CANDIDATE_TYPE_SET_COLUMNS, sqliteCandidateTypesCondition } from './sqlite-candidate-type-sets';

/*
 * Meilisearch filter semantics, as the SQLite store reproduces them (PROTOCOL section 3: "the same
 * body and filters work on every store backend"). Read from meilisearch/meilisearch v1.15.0 (the
 * version infra/k8s/meilisearch.yaml runs), v1.43.0 and main:
 *   F = crates/milli/src/search/facet/filter.rs (v1.15.0); since v1.42 .../facet/filter/index_filter.rs
 *       (and value_bounds.rs on main)
 *   X = crates/milli/src/update/new/extract/faceted/extract_facets.rs (what a document indexes)
 *   P = crates/filter-parser/src/{lib,condition,value}.rs
 *
 * | filter                | Meilisearch                                                        | SQLite here                                  |
 * |-----------------------|--------------------------------------------------------------------|----------------------------------------------|
 * | string `=` (and IN)   | normalize_facet on both sides: trim, NFKD per char, lower-case;    | sg_facet_key(col) = normalize(v): the same   |
 * |                       | so case-insensitive (F Equal, X; lib.rs normalize_facet). The      | normalisation and 468-byte cut in JS         |
 * |                       | document side is cut to 468 bytes (MAX_FACET_VALUE_LENGTH); `""`   | (facetKeyOf), NULL for NULL and `""`         |
 * |                       | indexes no string facet, so `x = ""` never matches `""` (X)         |                                              |
 * | number `=`            | f64 equality when v parses as a finite float (Rust syntax), else   | col = ? with the number, else `0`            |
 * |                       | only the string facets, which number fields do not have (F, X)     |                                              |
 * | `>` `>=` `<` `<=` TO  | numbers: f64 range, TO inclusive at both ends, both bounds must be  | col op ? / BETWEEN; non-numeric bound on a   |
 * |                       | numbers; strings (v1.15+): byte-wise range over the normalised     | number field: `0`; strings: byte-wise        |
 * |                       | facets (LMDB key order); v1.15..v1.42 compare the raw bound,       | (BINARY) comparison of sg_facet_key(col)     |
 * |                       | v1.43+ normalise it (PR #6340). low > high matches nothing (F)     | with the canonical bound as parsed (what the |
 * |                       |                                                                    | Meilisearch store sends; v1.15 compares it   |
 * |                       |                                                                    | as is, so both stores agree on every bound)  |
 * | `!=`                  | all documents minus `=`: null and missing fields match (F NotEqual) | NOT coalesce(`=`, 0): see negate()          |
 * | NOT x                 | all documents minus x (F Not)                                      | NOT coalesce(x, 0): see negate()             |
 * | array `=` / IN / range| true when any element matches: elements are indexed one by one     | the session's candidate type set is among    |
 * |                       |                                                                    | the sets with an element whose key matches   |
 * |                       |                                                                    | (sqlite-candidate-type-sets.ts); other array |
 * |                       |                                                                    | fields: EXISTS over json_each(col)           |
 * | array `!=`            | complement: true when no element equals v, and for `[]` and null   | NOT (...)                                    |
 * | boolean               | indexed as the string facet "true"/"false", never as a number (X): | CASE col WHEN 1 THEN 'true' WHEN 0 THEN      |
 * |                       | `= true`, `= TRUE`, `= "true"` match true; `= 1` matches nothing    | 'false' END compared as a string             |
 * | EXISTS                | the field is present, even null, `""` or `[]` (X pushes Exists     | `1`: every session document has every field  |
 * |                       | before looking at the value; issue meilisearch#2484)               | (null when unknown, PROTOCOL section 2), and |
 * |                       |                                                                    | a row cannot say "missing" apart from null   |
 * | IS NULL               | present and JSON null only (X: Null marker at the top level)        | col IS NULL                                  |
 * | IS EMPTY              | `""`, `[]`, `{}` at the top level; not null, not `"  "` (X)         | strings: col = ''; arrays:                   |
 * |                       |                                                                    | json_array_length(col) = 0; others: `0`      |
 * | keywords              | upper-case only (P word_exact/tag compare exactly)                  | parseSessionFilter does the same             |
 *
 * Every value reaches SQLite as a `?` parameter. Field names come from the catalogue and are
 * quoted as identifiers.
 */

/** Name of the SQL function `registerSqliteFilterFunctions` adds: a document string's Meilisearch facet key. */
export const SQLITE_FACET_KEY_FUNCTION = 'sg_facet_key';

/**
 * Adds the SQL functions compiled filters call (`sg_facet_key`) to a connection. Call it once per
 * connection before running a compiled filter. The function is deterministic, so it may also back
 * an expression index (`CREATE INDEX ... ON sessions (sg_facet_key(room_id))`), provided every
 * connection that writes the table registers it too.
 */
export function registerSqliteFilterFunctions(db: Database.Database): void {
  // A scan calls it once per row, and most fields hold few distinct values (nodes, states,
  // reasons): remembering recent answers saves the Unicode normalisation, half the cost of a
  // call. Bounded, and simply emptied when full, so a field of a million distinct values costs
  // little more than without it.
  const keys = new Map<string, string | null>();
  db.function(SQLITE_FACET_KEY_FUNCTION, { deterministic: true }, (value: unknown) => {
    if (typeof value !== 'string') return null;
    let key = keys.get(value);
    if (key === undefined) {
      key = facetKeyOf(value);
      if (keys.size >= FACET_KEY_CACHE_SIZE) keys.clear();
      keys.set(value, key);
    }
    return key;
  });
}

const FACET_KEY_CACHE_SIZE = 4_096;

export interface CompiledSqliteFilter {
  /** A boolean SQL expression over the `sessions` columns, for a WHERE clause: `1` for no filter. */
  readonly sql: string;
  /** The values for its `?` placeholders, in order. */
  readonly params: unknown[];
}

/**
 * Compiles a filter tree from `parseSessionFilter` (or the filter builders) to a WHERE-clause
 * fragment over the `sessions` table (columns named as the fields; arrays as JSON text, booleans
 * as 0/1) that selects the rows Meilisearch would return for the same documents; see the table
 * above. Needs `registerSqliteFilterFunctions` on the connection. Throws on a field the
 * catalogue does not know: the parser has already refused those, so that is a programming error.
 */
export function compileSqliteFilter(
  ast: FilterNode | null,
  fields: FilterFieldCatalogue = SESSION_FILTERABLE_FIELDS,
): CompiledSqliteFilter {
  if (!ast) return { sql: '1', params: [] };
  const params: unknown[] = [];
  const sql = new SqliteFilterCompiler(fields, params).compile(ast);
  return { sql, params };
}

type Operator = '=' | '>' | '>=' | '<' | '<=';

class SqliteFilterCompiler {
  constructor(
    private readonly fields: FilterFieldCatalogue,
    private readonly params: unknown[],
  ) {}

  compile(node: FilterNode): string {
    switch (node.type) {
      case 'and':
      case 'or':
        return balanced(mergeSetTerms(node.type, node.operands).map((operand) => this.compile(operand)), node.type === 'and' ? ' AND ' : ' OR ');
      case 'not':
        return negate(this.compile(node.operand));
      case 'comparison':
        return node.operator === '!='
          ? negate(this.compare(node.field, '=', node.value))
          : this.compare(node.field, node.operator, node.value);
      case 'range':
        return this.between(node.field, node.from, node.to);
      case 'in':
        return this.in(node.field, node.values);
      case 'exists':
        this.kind(node.field);
        return '1';
      case 'is-null':
        this.kind(node.field);
        return `(${column(node.field)} IS NULL)`;
      case 'is-empty':
        return this.isEmpty(node.field);
    }
  }

  private compare(field: string, operator: Operator, value: string): string {
    if (this.kind(field) === 'number') {
      const number = parseFilterNumber(value);
      if (number === null) return '0';
      this.params.push(number);
      return `${column(field)} ${operator} ?`;
    }
    // `=` compares normalised values; a range bound is already in canonical form (see
    // `canonicalRangeBound`) and is compared as it is, byte for byte what the Meilisearch store
    // sends and v1.15 compares, so both stores give the same hits for every bound
    this.params.push(operator === '=' ? normalizeFacetValue(value) : value);
    return this.anyFacet(field, `${operator} ?`);
  }

  private between(field: string, from: string, to: string): string {
    if (this.kind(field) === 'number') {
      const low = parseFilterNumber(from);
      const high = parseFilterNumber(to);
      if (low === null || high === null) return '0';
      this.params.push(low, high);
      return `${column(field)} BETWEEN ? AND ?`;
    }
    this.params.push(from, to);
    return this.anyFacet(field, 'BETWEEN ? AND ?');
  }

  private in(field: string, values: readonly string[]): string {
    if (this.kind(field) === 'number') {
      const numbers = [...new Set(values.map(parseFilterNumber).filter((number): number is number => number !== null))];
      if (numbers.length === 0) return '0';
      this.params.push(...numbers);
      return `${column(field)} IN (${numbers.map(() => '?').join(', ')})`;
    }
    if (values.length === 0) return '0';
    const keys = [...new Set(values.map(normalizeFacetValue))];
    this.params.push(...keys);
    return this.anyFacet(field, `IN (${keys.map(() => '?').join(', ')})`);
  }

  private isEmpty(field: string): string {
    switch (this.kind(field)) {
      case 'string':
        return `${column(field)} = ''`;
      case 'string-array':
        return `json_array_length(${column(field)}) = 0`;
      case 'number':
      case 'boolean':
        return '0';
    }
  }

  /** `predicate` (e.g. `= ?`) holds for the field's string facet, or for any of an array's (NULL counts as false). */
  private anyFacet(field: string, predicate: string): string {
    const kind = this.kind(field);
    if (kind === 'string-array') {
      if (Object.hasOwn(CANDIDATE_TYPE_SET_COLUMNS, field)) return sqliteCandidateTypesCondition(field as keyof typeof CANDIDATE_TYPE_SET_COLUMNS, predicate);
      return `EXISTS (SELECT 1 FROM json_each(${column(field)}) WHERE type = 'text' AND ${SQLITE_FACET_KEY_FUNCTION}(value) ${predicate})`;
    }
    const key =
      kind === 'boolean'
        ? `(CASE ${column(field)} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)`
        : `${SQLITE_FACET_KEY_FUNCTION}(${column(field)})`;
    return `${key} ${predicate}`;
  }

  private kind(field: string): SessionFieldKind {
    if (!Object.hasOwn(this.fields, field)) throw new Error(`filter field "${field}" is not in the filterable field catalogue`);
    return this.fields[field];
  }
}

/** A positive (`=`, IN) or negative (`!=`, NOT IN, NOT `=`) test of one field against a set of values. */
function setTerm(node: FilterNode): { field: string; values: readonly string[]; negative: boolean } | null {
  if (node.type === 'comparison' && (node.operator === '=' || node.operator === '!=')) return { field: node.field, values: [node.value], negative: node.operator === '!=' };
  if (node.type === 'in') return { field: node.field, values: node.values, negative: false };
  if (node.type === 'not') {
    const inner = setTerm(node.operand);
    return inner && !inner.negative ? { ...inner, negative: true } : null;
  }
  return null;
}

/**
 * The operands of an AND or OR with the set tests on one field merged into one: `f = x OR f = y
 * OR f IN [z]` is `f IN [x, y, z]`, and `f != x AND f != y AND NOT f IN [z]` is
 * `NOT f IN [x, y, z]` (De Morgan; `!=` is NOT `=` here too, nulls included). One IN is one
 * lookup in an index or in SQLite's ephemeral set of the values, where 300 separate terms are
 * 300 evaluations per row. Nested groups of the same operator are flattened first.
 */
function mergeSetTerms(type: 'and' | 'or', operands: readonly FilterNode[]): FilterNode[] {
  const flat = operands.flatMap((operand) => (operand.type === type ? mergeSetTerms(type, operand.operands) : [operand]));
  const negative = type === 'and';
  const groups = new Map<string, string[][]>();
  for (const operand of flat) {
    const term = setTerm(operand);
    if (!term || term.negative !== negative) continue;
    const group = groups.get(term.field);
    if (group) group.push([...term.values]);
    else groups.set(term.field, [[...term.values]]);
  }
  const merged: FilterNode[] = [];
  const done = new Set<string>();
  for (const operand of flat) {
    const term = setTerm(operand);
    const values = term && term.negative === negative ? groups.get(term.field) : undefined;
    if (!term || !values || values.length < 2) merged.push(operand);
    else if (!done.has(term.field)) {
      done.add(term.field);
      const union: FilterNode = { type: 'in', field: term.field, values: values.flat() };
      merged.push(negative ? { type: 'not', operand: union } : union);
    }
  }
  return merged;
}

/** Operands joined flat per group: SQLite parses `a AND b AND c` as a left-deep tree. */
const GROUP = 32;

/**
 * `parts` joined with `joiner` as a tree of groups, so a filter of thousands of terms stays far
 * below SQLite's expression depth limit (1000, SQLITE_MAX_EXPR_DEPTH) instead of failing there.
 */
function balanced(parts: string[], joiner: string): string {
  if (parts.length <= GROUP) return `(${parts.join(joiner)})`;
  const groups: string[] = [];
  for (let i = 0; i < parts.length; i += GROUP) groups.push(balanced(parts.slice(i, i + GROUP), joiner));
  return balanced(groups, joiner);
}

/**
 * Leaves may be NULL (a NULL column), which a WHERE clause treats as false. AND and OR are
 * monotone, so collapsing NULL to false once above them selects the same rows as collapsing it
 * at every leaf; only NOT needs the two-valued form. Leaving the positive leaves bare keeps them
 * in the shape SQLite's planner matches against indexes (`sg_facet_key(col) = ?`, `col > ?`).
 */
function negate(sql: string): string {
  return `(NOT coalesce(${sql}, 0))`;
}

function column(field: string): string {
  return `"${field.replace(/"/g, '""')}"`;
}

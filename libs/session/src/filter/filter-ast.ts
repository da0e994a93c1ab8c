/**
 * The syntax tree of a Meilisearch filter expression (PROTOCOL section 3), shaped like
 * Meilisearch's own `FilterCondition` (`crates/filter-parser/src/lib.rs`) so that printing it back
 * gives Meilisearch the same tree:
 * - `a AND b AND c` is one `and` with three operands, but `(a AND b) AND c` nests: neither
 *   Meilisearch nor `parseSessionFilter` flattens parentheses.
 * - `and` and `or` always have two or more operands.
 * - `NOT NOT x` is `x`: a `not` never wraps another `not`.
 * - `x NOT IN [..]`, `x NOT EXISTS`, `x IS NOT NULL`, `x IS NOT EMPTY` are a `not` around the
 *   positive condition, exactly as `NOT x IN [..]` and so on.
 * - Values are strings, unescaped, as written: whether a value is a number is decided where it
 *   is compared (`parseFilterNumber`), as Meilisearch does. Range bounds (`>`, `>=`, `<`, `<=`,
 *   `TO`) are stored in canonical form, see `canonicalRangeBound`.
 */
export type FilterNode = FilterCondition | FilterNot | FilterAnd | FilterOr;

/** A leaf: one test on one field. */
export type FilterCondition = FilterComparison | FilterRange | FilterIn | FilterExists | FilterIsNull | FilterIsEmpty;

export type FilterComparisonOperator = '=' | '!=' | '>' | '>=' | '<' | '<=';

/** `field = value`, `field != value`, `field > value`, ... */
export interface FilterComparison {
  readonly type: 'comparison';
  readonly field: string;
  readonly operator: FilterComparisonOperator;
  readonly value: string;
}

/** `field from TO to`: both ends included. */
export interface FilterRange {
  readonly type: 'range';
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

/** `field IN [v1, v2]`: any of the values (an empty list matches nothing). */
export interface FilterIn {
  readonly type: 'in';
  readonly field: string;
  readonly values: readonly string[];
}

/** `field EXISTS`: the document has the field, even when its value is null. */
export interface FilterExists {
  readonly type: 'exists';
  readonly field: string;
}

/** `field IS NULL`: the field is present and null. */
export interface FilterIsNull {
  readonly type: 'is-null';
  readonly field: string;
}

/** `field IS EMPTY`: the field is `""`, `[]` or `{}`. */
export interface FilterIsEmpty {
  readonly type: 'is-empty';
  readonly field: string;
}

export interface FilterNot {
  readonly type: 'not';
  readonly operand: FilterNode;
}

export interface FilterAnd {
  readonly type: 'and';
  readonly operands: readonly FilterNode[];
}

export interface FilterOr {
  readonly type: 'or';
  readonly operands: readonly FilterNode[];
}

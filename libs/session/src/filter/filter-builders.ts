import type { SessionFilterableField } from '@sg/schema';
import { canonicalRangeBound } from './facet-value';
import type { FilterComparisonOperator, FilterNode } from './filter-ast';

/**
 * Builders for filter trees, for code that builds filters from query parameters (the admin API's
 * `room`, `user`, `ip`, `state`, `reason`, `from`, `to`). They build exactly the trees
 * `parseSessionFilter` would return for the same expression (range bounds in canonical form, no
 * double negation), so printing and re-parsing them gives them back unchanged.
 *
 * `and` and `or` skip `null`/`undefined` operands, so optional conditions compose directly:
 * `and(room && eq('room_id', room), user && or(eq('client_a_user', user), eq('client_b_user', user)))`
 * is `null` (no filter) when neither is given.
 */

/** A value as it would be written in a filter: numbers in JavaScript's shortest round-trip form. */
export type FilterValue = string | number | boolean;

export function eq(field: SessionFilterableField, value: FilterValue): FilterNode {
  return comparison(field, '=', value);
}

export function ne(field: SessionFilterableField, value: FilterValue): FilterNode {
  return comparison(field, '!=', value);
}

export function gt(field: SessionFilterableField, value: FilterValue): FilterNode {
  return comparison(field, '>', value);
}

export function gte(field: SessionFilterableField, value: FilterValue): FilterNode {
  return comparison(field, '>=', value);
}

export function lt(field: SessionFilterableField, value: FilterValue): FilterNode {
  return comparison(field, '<', value);
}

export function lte(field: SessionFilterableField, value: FilterValue): FilterNode {
  return comparison(field, '<=', value);
}

/** `field from TO to`: both ends included. */
export function range(field: SessionFilterableField, from: FilterValue, to: FilterValue): FilterNode {
  return { type: 'range', field, from: canonicalRangeBound(text(from)), to: canonicalRangeBound(text(to)) };
}

/** `field IN [...]`; an empty list matches nothing. */
export function isIn(field: SessionFilterableField, values: readonly FilterValue[]): FilterNode {
  return { type: 'in', field, values: values.map(text) };
}

export function exists(field: SessionFilterableField): FilterNode {
  return { type: 'exists', field };
}

export function isNull(field: SessionFilterableField): FilterNode {
  return { type: 'is-null', field };
}

export function isEmpty(field: SessionFilterableField): FilterNode {
  return { type: 'is-empty', field };
}

/** `NOT node`; `not(not(x))` is `x`, as Meilisearch parses `NOT NOT x`. */
export function not(node: FilterNode): FilterNode {
  return node.type === 'not' ? node.operand : { type: 'not', operand: node };
}

/** All of the operands; `null` when there is none, the operand itself when there is one. */
export function and(...operands: ReadonlyArray<FilterNode | null | undefined | false | ''>): FilterNode | null {
  return group('and', operands);
}

/** Any of the operands; `null` when there is none, the operand itself when there is one. */
export function or(...operands: ReadonlyArray<FilterNode | null | undefined | false | ''>): FilterNode | null {
  return group('or', operands);
}

function comparison(field: SessionFilterableField, operator: FilterComparisonOperator, value: FilterValue): FilterNode {
  const written = text(value);
  const isRange = operator !== '=' && operator !== '!=';
  return { type: 'comparison', field, operator, value: isRange ? canonicalRangeBound(written) : written };
}

function group(type: 'and' | 'or', operands: ReadonlyArray<FilterNode | null | undefined | false | ''>): FilterNode | null {
  const present = operands.filter((operand): operand is FilterNode => typeof operand === 'object' && operand !== null);
  if (present.length === 0) return null;
  if (present.length === 1) return present[0];
  return { type, operands: present };
}

function text(value: FilterValue): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`a filter value must be a finite number, got ${value}`);
  }
  return String(value);
}

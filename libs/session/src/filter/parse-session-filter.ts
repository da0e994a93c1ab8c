import { SESSION_FILTERABLE_FIELDS, type SessionFieldKind } from '@sg/schema';
import type { FilterNode } from './filter-ast';
import { FieldRef, parseExpression } from './filter-expression-parser';
import { FilterSyntaxError, position } from './filter-syntax-error';
import { printMeiliFilter } from './print-meili-filter';

/** Filterable fields and the kind of their values; `SESSION_FILTERABLE_FIELDS` by default. */
export type FilterFieldCatalogue = Readonly<Record<string, SessionFieldKind>>;

/** Meilisearch's `filter` search parameter: a string, or an array of strings and arrays of strings. */
export type SessionFilterInput = string | ReadonlyArray<string | ReadonlyArray<string>> | null | undefined;

export type ParseSessionFilterResult = { ok: true; ast: FilterNode | null } | { ok: false; error: string };

/**
 * Parses a Meilisearch filter expression over the filterable session fields (PROTOCOL section 3),
 * with Meilisearch's grammar and, as far as possible, its error messages.
 *
 * - `undefined`, `null`, a blank string, `[]` and `[[]]` mean no filter: `{ok: true, ast: null}`.
 * - Array form: the outer array is an AND, an inner array an OR, and every string in it is a
 *   complete expression (Meilisearch's `Filter::from_array`); blank strings and empty inner
 *   arrays are skipped.
 * - Keywords are upper-case only, as in Meilisearch (`and` is a value, not an operator).
 * - Not supported, with an error naming them: geo filters (session documents have no `_geo`),
 *   `_foreign`, and the experimental `CONTAINS` / `STARTS WITH`.
 * - Values whose normalised form (trimmed, NFKD, lower case) is longer than 468 UTF-8 bytes are
 *   refused: Meilisearch cuts stored facet values there, so such a value could never match.
 *
 * Expected failures are values: an error string whose first line says what is wrong and whose
 * second line is `start:end expression` (1-based character columns), Meilisearch's layout.
 */
export function parseSessionFilter(
  filter: SessionFilterInput,
  fields: FilterFieldCatalogue = SESSION_FILTERABLE_FIELDS,
): ParseSessionFilterResult {
  const input: unknown = filter;
  if (input === undefined || input === null) return { ok: true, ast: null };
  const fieldRefs: FieldRef[] = [];
  let ast: FilterNode | null;
  let composed = false;
  try {
    if (typeof input === 'string') {
      ast = parseExpression(input, fieldRefs);
    } else if (Array.isArray(input)) {
      const ands: FilterNode[] = [];
      for (const element of input as unknown[]) {
        if (typeof element === 'string') {
          const node = parseExpression(element, fieldRefs);
          if (node) ands.push(node);
        } else if (Array.isArray(element)) {
          const ors: FilterNode[] = [];
          for (const rule of element as unknown[]) {
            if (typeof rule !== 'string') return { ok: false, error: invalidType(['String'], rule) };
            const node = parseExpression(rule, fieldRefs);
            if (node) ors.push(node);
          }
          if (ors.length > 1) {
            ands.push({ type: 'or', operands: ors });
            composed = true;
          } else if (ors.length === 1) {
            ands.push(ors[0]);
          }
        } else {
          return { ok: false, error: invalidType(['String', '[String]'], element) };
        }
      }
      composed ||= ands.length > 1;
      ast = ands.length === 0 ? null : ands.length === 1 ? ands[0] : { type: 'and', operands: ands };
    } else {
      return { ok: false, error: invalidType(['String', 'Array'], input) };
    }
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { ok: false, error: error.format() };
    throw error;
  }

  for (const ref of fieldRefs) {
    if (!Object.hasOwn(fields, ref.field)) return { ok: false, error: notFilterable(ref, fields) };
  }

  if (ast && composed) {
    // The array form nests each expression one level deeper (`(a OR b) AND c`); the Meilisearch
    // store sends the printed string, so that string must still be within the depth limit.
    const printed = printMeiliFilter(ast);
    try {
      parseExpression(printed, []);
    } catch (error) {
      if (error instanceof FilterSyntaxError) return { ok: false, error: error.format() };
      throw error;
    }
  }
  return { ok: true, ast };
}

function notFilterable(ref: FieldRef, fields: FilterFieldCatalogue): string {
  const names = Object.keys(fields).sort();
  const list =
    names.length === 0
      ? ' This index does not have configured filterable attributes.'
      : ` Available filterable attribute patterns are: ${names.map((name) => `\`${name}\``).join(', ')}.`;
  return `Attribute \`${ref.field}\` is not filterable.${list}\n${position(ref.source, ref.start, ref.end)}`;
}

function invalidType(expected: readonly string[], found: unknown): string {
  let shown: string;
  try {
    shown = JSON.stringify(found) ?? String(found);
  } catch {
    shown = String(found);
  }
  return `Invalid type for filter subexpression: expected: ${expected.join(', ')}, found: ${shown}.`;
}

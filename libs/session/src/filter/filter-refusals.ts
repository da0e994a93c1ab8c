import { caseHint, FilterSyntaxError } from './filter-syntax-error';
import { FilterCursor } from './filter-cursor';
import { UNSUPPORTED_FILTER_FUNCTIONS, UNSUPPORTED_FILTER_PREFIXES } from './filter-lexicon';
import { MEILI_MAX_FACET_VALUE_BYTES, normalizeFacetValue } from './facet-value';

/**
 * Nesting limit of `crates/filter-parser/src/lib.rs` (`MAX_FILTER_DEPTH`: 200 in v1.15 to v1.42,
 * 150 since v1.43): the smaller one, so every Meilisearch version accepts what is accepted here.
 * Depth is counted as Meilisearch counts it: one per OR, AND, NOT and primary level, so about 36
 * nested parentheses.
 */
const MAX_DEPTH = 150;

const INVALID_PRIMARY =
  'Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY` or `IS NOT EMPTY`';

/** A value token, or why there is none where one was expected. */
export type ValueResult =
  | { ok: true; value: string; start: number; end: number }
  | { ok: false; kind: 'nothing' | 'other' | 'keyword'; start: number; end: number };

/** How the filter parser refuses what Meilisearch refuses, worded as Meilisearch words it. */
export abstract class FilterRefusals extends FilterCursor {
  protected expectedValue(failure: Extract<ValueResult, { ok: false }>): FilterSyntaxError {
    const text = this.source.slice(failure.start, failure.end);
    if (failure.kind === 'keyword') {
      return this.error(
        `Was expecting a value but instead got \`${text}\`, which is a reserved keyword. To use \`${text}\` as a field name or a value, surround it by quotes.`,
        failure.start,
        failure.end,
      );
    }
    if (failure.start >= this.source.length) {
      return this.error('Was expecting a value but instead got nothing.', failure.start, failure.start);
    }
    // Nothing word-like here: name the next character (an operator or a bracket) rather than "nothing".
    const end = failure.kind === 'nothing' ? failure.start + [...this.source.slice(failure.start)][0].length : failure.end;
    return this.error(`Was expecting a value but instead got \`${this.source.slice(failure.start, end)}\`.`, failure.start, end);
  }

  protected invalidPrimary(start: number): FilterSyntaxError {
    const rest = this.source.slice(start);
    const text = rest.trim() === '' ? 'but instead got nothing.' : `at \`${rest}\`.`;
    return this.error(`${INVALID_PRIMARY} ${text}${caseHint(rest)}`, start, this.source.length);
  }

  protected rejectUnsupportedFunction(at: number, asCondition: boolean): void {
    const word = this.wordAt(at);
    const prefix = UNSUPPORTED_FILTER_PREFIXES.find((candidate) => this.source.startsWith(candidate, at));
    // As a value, Meilisearch refuses `_geo(`, `_geoPoint`, `_geoDistance`, `_geoRadius` and
    // `_geoBoundingBox`; as a condition also `_geoPolygon` and `_foreign`.
    const refused = prefix ?? (word && UNSUPPORTED_FILTER_FUNCTIONS.has(word) && (asCondition || (word !== '_geoPolygon' && word !== '_foreign')) ? word : null);
    if (!refused) return;
    const end = at + (word ? word.length : refused.length);
    if (refused === '_foreign') {
      throw this.error('`_foreign` filters are not supported in session filters.', at, end);
    }
    throw this.error(`\`${refused}\` is not supported in session filters: session documents have no \`_geo\` field.`, at, end);
  }

  protected rejectExperimentalOperator(): void {
    for (const operator of ['CONTAINS', 'STARTS WITH']) {
      if (this.source.startsWith(operator, this.pos) || (operator === 'STARTS WITH' && this.wordAt(this.pos) === 'STARTS')) {
        throw this.error(
          `\`${operator}\` is not supported in session filters: it is an experimental Meilisearch operator (the \`containsFilter\` feature).`,
          this.pos,
          this.pos + operator.length,
        );
      }
    }
  }

  /**
   * Meilisearch compares the normalised value (trimmed, NFKD, lower case) with facet keys of at
   * most 468 bytes, so a value is refused only when its normalised form is longer: it could never
   * match, and as a lookup key it is past what LMDB takes. A longer raw value that normalises
   * within the limit (padding) is taken and matches as on Meilisearch.
   */
  protected checkValueLength(token: Extract<ValueResult, { ok: true }>): void {
    const bytes = Buffer.byteLength(normalizeFacetValue(token.value), 'utf8');
    if (bytes <= MEILI_MAX_FACET_VALUE_BYTES) return;
    const shown = [...token.value].length > 40 ? `${[...token.value].slice(0, 40).join('')}…` : token.value;
    throw this.error(
      `The value \`${shown}\` is too long: ${bytes} bytes, the limit is ${MEILI_MAX_FACET_VALUE_BYTES} (UTF-8). Meilisearch keeps only the first ${MEILI_MAX_FACET_VALUE_BYTES} bytes of a facet value, so a longer value could never match.`,
      token.start,
      token.end,
    );
  }

  protected checkDepth(depth: number): void {
    if (depth > MAX_DEPTH) {
      throw this.error(
        'The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.',
        this.pos,
        this.source.length,
      );
    }
  }
}

import { canonicalRangeBound, MEILI_MAX_FACET_VALUE_BYTES } from './facet-value';
import type { FilterComparisonOperator, FilterIn, FilterNode } from './filter-ast';
import { RESERVED_WORDS, UNSUPPORTED_FILTER_FUNCTIONS, UNSUPPORTED_FILTER_PREFIXES, WORD_CHAR } from './filter-lexicon';
import { caseHint, errorWord, FilterSyntaxError } from './filter-syntax-error';
import { unescapeQuoted } from './unescape-filter-string';

/**
 * Nesting limit of `crates/filter-parser/src/lib.rs` (`MAX_FILTER_DEPTH`: 200 in v1.15 to v1.42,
 * 150 since v1.43): the smaller one, so every Meilisearch version accepts what is accepted here.
 * Depth is counted as Meilisearch counts it: one per OR, AND, NOT and primary level, so about 36
 * nested parentheses.
 */
const MAX_DEPTH = 150;

/** Where a field name was written, so an unknown field can be named with its position. */
export interface FieldRef {
  field: string;
  start: number;
  end: number;
  source: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BLANK = /^\p{White_Space}*$/u;

/** One filter expression (a string of the array form, or the whole string) to its tree; throws `FilterSyntaxError`. */
export function parseExpression(source: string, fieldRefs: FieldRef[]): FilterNode | null {
  // Meilisearch's `FilterCondition::parse`: a blank expression is no filter.
  if (BLANK.test(source)) return null;
  const surrogate = LONE_SURROGATE.exec(source);
  if (surrogate) {
    // JSON.parse lets `"\ud800"` through; it is not a Unicode string and Meilisearch refuses it.
    throw new FilterSyntaxError('The filter contains a lone UTF-16 surrogate, which is not valid Unicode.', source, surrogate.index, surrogate.index + 1);
  }
  return new ExpressionParser(source, fieldRefs).parse();
}

type ValueResult =
  | { ok: true; value: string; start: number; end: number }
  | { ok: false; kind: 'nothing' | 'other' | 'keyword'; start: number; end: number };

const RANGE_OPERATORS: ReadonlySet<FilterComparisonOperator> = new Set(['>', '>=', '<', '<=']);
const COMPARISON_OPERATORS: readonly FilterComparisonOperator[] = ['<=', '>=', '!=', '<', '>', '='];
const INVALID_PRIMARY =
  'Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY` or `IS NOT EMPTY`';

/**
 * A recursive-descent parser that follows the nom parser of `crates/filter-parser/src/lib.rs`
 * production by production (`parse_or`, `parse_and`, `parse_not`, `parse_primary`, `parse_value`),
 * including where it needs whitespace: `[ \t\r\n]` between tokens (nom's `multispace`), any
 * Unicode whitespace before a value (`take_while(char::is_whitespace)`).
 */
class ExpressionParser {
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly fieldRefs: FieldRef[],
  ) {}

  parse(): FilterNode {
    const node = this.parseOr(0);
    // Lenient where Meilisearch is not: it refuses whitespace after a trailing `EXISTS`, `NULL`
    // or `EMPTY` (nothing consumes it before `eof`), which helps no one.
    while (this.pos < this.source.length && /\p{White_Space}/u.test(this.source[this.pos])) this.pos++;
    if (this.pos < this.source.length) {
      const rest = this.source.slice(this.pos);
      throw this.error(
        `Found unexpected characters at the end of the filter: \`${rest}\`. You probably forgot an \`OR\` or an \`AND\` rule.${caseHint(rest)}`,
        this.pos,
        this.source.length,
      );
    }
    return node;
  }

  private parseOr(depth: number): FilterNode {
    this.checkDepth(depth);
    const first = this.parseAnd(depth + 1);
    const operands = [first];
    while (this.eatKeyword('OR')) operands.push(this.parseAnd(depth + 1));
    return operands.length === 1 ? first : { type: 'or', operands };
  }

  private parseAnd(depth: number): FilterNode {
    this.checkDepth(depth);
    const first = this.parseNot(depth + 1);
    const operands = [first];
    while (this.eatKeyword('AND')) operands.push(this.parseNot(depth + 1));
    return operands.length === 1 ? first : { type: 'and', operands };
  }

  private parseNot(depth: number): FilterNode {
    this.checkDepth(depth);
    if (this.eatKeyword('NOT')) {
      const operand = this.parseNot(depth + 1);
      // `NOT NOT x` is `x`, as in Meilisearch's `parse_not`.
      return operand.type === 'not' ? operand.operand : { type: 'not', operand };
    }
    return this.parsePrimary(depth + 1);
  }

  private parsePrimary(depth: number): FilterNode {
    this.checkDepth(depth);
    this.skipWhitespace();
    const start = this.pos;

    if (this.source[this.pos] === '(') {
      this.pos++;
      this.skipWhitespace();
      const inner = this.parseOr(depth + 1);
      this.skipWhitespace();
      if (this.source[this.pos] !== ')') {
        throw this.error(
          `Expression \`${this.source.slice(start)}\` is missing the following closing delimiter: \`)\`.`,
          start,
          this.source.length,
        );
      }
      this.pos++;
      this.skipWhitespace();
      return inner;
    }

    this.rejectUnsupportedFunction(this.pos, true);
    const field = this.parseValue();
    if (!field.ok) {
      if (field.kind === 'keyword') throw this.expectedValue(field);
      throw this.invalidPrimary(start);
    }
    this.fieldRefs.push({ field: field.value, start: field.start, end: field.end, source: this.source });
    const name = field.value;

    if (this.eatKeyword('IN')) return this.parseInBody(name);

    if (this.wordAt(this.pos) === 'NOT') {
      const afterField = this.pos;
      this.pos += 3;
      if (this.eatKeyword('IN')) return { type: 'not', operand: this.parseInBody(name) };
      this.pos = afterField + 3;
      if (this.eatWhitespace1()) {
        if (this.eatTag('EXISTS')) return { type: 'not', operand: { type: 'exists', field: name } };
        this.rejectExperimentalOperator();
      }
      this.pos = afterField;
    }

    for (const operator of COMPARISON_OPERATORS) {
      if (this.source.startsWith(operator, this.pos)) {
        this.pos += operator.length;
        const raw = this.valueOf(this.requireValue());
        const value = RANGE_OPERATORS.has(operator) ? canonicalRangeBound(raw) : raw;
        return { type: 'comparison', field: name, operator, value };
      }
    }

    if (this.source.startsWith('IS', this.pos)) {
      const afterField = this.pos;
      this.pos += 2;
      if (this.eatWhitespace1()) {
        if (this.eatTag('NULL')) return { type: 'is-null', field: name };
        if (this.eatTag('EMPTY')) return { type: 'is-empty', field: name };
        if (this.eatTag('NOT') && this.eatWhitespace1()) {
          if (this.eatTag('NULL')) return { type: 'not', operand: { type: 'is-null', field: name } };
          if (this.eatTag('EMPTY')) return { type: 'not', operand: { type: 'is-empty', field: name } };
        }
      }
      this.pos = afterField;
    }

    if (this.eatTag('EXISTS')) return { type: 'exists', field: name };

    const afterField = this.pos;
    const from = this.parseValue();
    if (from.ok && this.eatTag('TO') && this.eatWhitespace1()) {
      const to = this.valueOf(this.requireValue());
      return { type: 'range', field: name, from: canonicalRangeBound(this.valueOf(from)), to: canonicalRangeBound(to) };
    }
    this.pos = afterField;

    this.rejectExperimentalOperator();
    throw this.invalidPrimary(start);
  }

  /** After `IN`: `[` value_list `]`, where value_list = (value ("," value)* ","?)? (`parse_in_body`). */
  private parseInBody(field: string): FilterIn {
    if (this.source[this.pos] !== '[') {
      throw this.error('Expected `[` after `IN` keyword.', this.pos, this.source.length);
    }
    this.pos++;
    const values: string[] = [];
    const first = this.parseValue();
    if (first.ok) {
      values.push(this.valueOf(first));
      for (;;) {
        const beforeComma = this.pos;
        this.skipWhitespace();
        if (this.source[this.pos] !== ',') {
          this.pos = beforeComma;
          break;
        }
        this.pos++;
        this.skipWhitespace();
        const next = this.parseValue();
        if (!next.ok) {
          this.pos = beforeComma;
          break;
        }
        values.push(this.valueOf(next));
      }
    }
    const beforeTrailingComma = this.pos;
    this.skipWhitespace();
    if (this.source[this.pos] === ',') {
      this.pos++;
      this.skipWhitespace();
    } else {
      this.pos = beforeTrailingComma;
    }
    this.skipWhitespace();
    if (this.source[this.pos] === ']') {
      this.pos++;
      this.skipWhitespace();
      return { type: 'in', field, values };
    }
    if (this.pos >= this.source.length) {
      throw this.error('Expected matching `]` after the list of values given to `IN[`.', this.pos, this.pos);
    }
    const rest = this.source.slice(this.pos);
    const word = this.wordAt(this.pos);
    if (word && RESERVED_WORDS.has(word)) {
      throw this.error(
        `Expected only comma-separated values inside \`IN[..]\` but instead found \`${rest}\`, which is a keyword. To use \`${word}\` as a value, surround it by quotes.`,
        this.pos,
        this.source.length,
      );
    }
    throw this.error(`Expected only comma-separated values inside \`IN[..]\` but instead found \`${rest}\`.`, this.pos, this.source.length);
  }

  /**
   * `parse_value`: Unicode whitespace, then a quoted string or an unquoted word that is not a
   * keyword, then `[ \t\r\n]*`. Soft failures (nothing usable here) come back as values so the
   * caller can try another production; broken quotes and escapes are thrown.
   */
  private parseValue(): ValueResult {
    const before = this.pos;
    while (this.pos < this.source.length && /\p{White_Space}/u.test(this.source[this.pos])) this.pos++;
    const start = this.pos;
    this.rejectUnsupportedFunction(start, false);
    const quote = this.source[start];
    let value: string;
    if (quote === "'" || quote === '"') {
      let index = start + 1;
      while (index < this.source.length && this.source[index] !== quote) {
        if (this.source[index] === '\\') {
          // a backslash skips the next character, so `\'` does not close the string
          index = Math.min(index + 2, this.source.length);
        } else {
          index += 1;
        }
      }
      if (index >= this.source.length) {
        throw this.error(
          `Expression \`${this.source.slice(start)}\` is missing the following closing delimiter: \`${quote}\`.`,
          start,
          this.source.length,
        );
      }
      value = unescapeQuoted(this.source.slice(start + 1, index), quote, (message) => this.error(message, start, index + 1));
      this.pos = index + 1;
    } else {
      const word = this.wordAt(start);
      if (word && RESERVED_WORDS.has(word)) {
        this.pos = before;
        return { ok: false, kind: 'keyword', start, end: start + word.length };
      }
      if (!word) {
        this.pos = before;
        const end = start + errorWord(this.source, start).length;
        return { ok: false, kind: end === start ? 'nothing' : 'other', start, end };
      }
      value = word;
      this.pos = start + word.length;
    }
    const end = this.pos;
    this.skipWhitespace();
    return { ok: true, value, start, end };
  }

  /** A value that must be there (nom's `cut(parse_value)`). */
  private requireValue(): Extract<ValueResult, { ok: true }> {
    const result = this.parseValue();
    if (!result.ok) throw this.expectedValue(result);
    return result;
  }

  /** The value of a token used as a value (not a field name), within Meilisearch's facet length. */
  private valueOf(token: Extract<ValueResult, { ok: true }>): string {
    const bytes = Buffer.byteLength(token.value, 'utf8');
    if (bytes > MEILI_MAX_FACET_VALUE_BYTES) {
      const shown = [...token.value].length > 40 ? `${[...token.value].slice(0, 40).join('')}…` : token.value;
      throw this.error(
        `The value \`${shown}\` is too long: ${bytes} bytes, the limit is ${MEILI_MAX_FACET_VALUE_BYTES} (UTF-8). Meilisearch keeps only the first ${MEILI_MAX_FACET_VALUE_BYTES} bytes of a facet value, so a longer value could never match.`,
        token.start,
        token.end,
      );
    }
    return token.value;
  }

  private expectedValue(failure: Extract<ValueResult, { ok: false }>): FilterSyntaxError {
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

  private invalidPrimary(start: number): FilterSyntaxError {
    const rest = this.source.slice(start);
    const text = rest.trim() === '' ? 'but instead got nothing.' : `at \`${rest}\`.`;
    return this.error(`${INVALID_PRIMARY} ${text}${caseHint(rest)}`, start, this.source.length);
  }

  private rejectUnsupportedFunction(at: number, asCondition: boolean): void {
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

  private rejectExperimentalOperator(): void {
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

  private checkDepth(depth: number): void {
    if (depth > MAX_DEPTH) {
      throw this.error(
        'The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.',
        this.pos,
        this.source.length,
      );
    }
  }

  /** nom's `ws(word_exact(keyword))`: optional whitespace, the whole word, optional whitespace. */
  private eatKeyword(keyword: string): boolean {
    const before = this.pos;
    this.skipWhitespace();
    if (this.wordAt(this.pos) === keyword) {
      this.pos += keyword.length;
      this.skipWhitespace();
      return true;
    }
    this.pos = before;
    return false;
  }

  /** nom's `tag`: a literal prefix, not necessarily a whole word. */
  private eatTag(tag: string): boolean {
    if (!this.source.startsWith(tag, this.pos)) return false;
    this.pos += tag.length;
    return true;
  }

  /** nom's `multispace1`. */
  private eatWhitespace1(): boolean {
    const before = this.pos;
    this.skipWhitespace();
    return this.pos > before;
  }

  /** nom's `multispace0`: only space, tab, CR and LF. */
  private skipWhitespace(): void {
    while (this.pos < this.source.length && ' \t\r\n'.includes(this.source[this.pos])) this.pos++;
  }

  /** The unquoted word starting at `at` (possibly empty). */
  private wordAt(at: number): string {
    let end = at;
    for (const char of this.source.slice(at)) {
      if (!WORD_CHAR.test(char)) break;
      end += char.length;
    }
    return this.source.slice(at, end);
  }

  private error(message: string, start: number, end: number): FilterSyntaxError {
    return new FilterSyntaxError(message, this.source, start, end);
  }
}

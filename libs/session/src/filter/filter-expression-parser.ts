import { canonicalRangeBound } from './facet-value';
import type { FilterComparisonOperator, FilterIn, FilterNode } from './filter-ast';
import { FilterRefusals, type ValueResult } from './filter-refusals';
import { RESERVED_WORDS } from './filter-lexicon';
import { caseHint, errorWord, FilterSyntaxError } from './filter-syntax-error';
import { unescapeQuoted } from './unescape-filter-string';

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

const RANGE_OPERATORS: ReadonlySet<FilterComparisonOperator> = new Set(['>', '>=', '<', '<=']);
const COMPARISON_OPERATORS: readonly FilterComparisonOperator[] = ['<=', '>=', '!=', '<', '>', '='];

/**
 * A recursive-descent parser that follows the nom parser of `crates/filter-parser/src/lib.rs`
 * production by production (`parse_or`, `parse_and`, `parse_not`, `parse_primary`, `parse_value`),
 * including where it needs whitespace: `[ \t\r\n]` between tokens (nom's `multispace`), any
 * Unicode whitespace before a value (`take_while(char::is_whitespace)`).
 */
class ExpressionParser extends FilterRefusals {
  constructor(
    source: string,
    private readonly fieldRefs: FieldRef[],
  ) {
    super(source);
  }

  parse(): FilterNode {
    const node = this.parseOr(0);
    // Meilisearch's `parse_filter` is `terminated(parse_expression, eof)`: only the ASCII
    // whitespace its productions consume may follow, so a trailing Unicode space, or any space
    // after a final `EXISTS`, `NULL` or `EMPTY`, is refused here too. Being more lenient would
    // accept filters the Meilisearch store then fails on.
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
        const raw = this.valueText(this.requireValue());
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
      const to = this.valueText(this.requireValue());
      return { type: 'range', field: name, from: canonicalRangeBound(this.valueText(from)), to: canonicalRangeBound(to) };
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
    // `value_list = (value ("," value)* ","?)?`: a trailing comma only after a value, so `IN [,]` is refused
    if (first.ok) {
      values.push(this.valueText(first));
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
        values.push(this.valueText(next));
      }
    }
    if (values.length > 0) {
      const beforeTrailingComma = this.pos;
      this.skipWhitespace();
      if (this.source[this.pos] === ',') {
        this.pos++;
        this.skipWhitespace();
      } else {
        this.pos = beforeTrailingComma;
      }
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

  /** The value of a token used as a value (not a field name): see `checkValueLength`. */
  private valueText(token: Extract<ValueResult, { ok: true }>): string {
    this.checkValueLength(token);
    return token.value;
  }
}

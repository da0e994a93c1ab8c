import { OPERATOR_KEYWORDS } from './filter-lexicon';

// How filter syntax errors are worded and located, in Meilisearch's layout. Not exported from the package.

/** A syntax error at `[start, end)` (UTF-16 offsets) of `source`. Internal to the filter parser: `parseSessionFilter` turns it into an error value. */
export class FilterSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly source: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(detail);
  }

  format(): string {
    return `${this.detail}\n${position(this.source, this.start, this.end)}`;
  }
}

/** Meilisearch's error suffix: 1-based columns counted in characters, then the expression. */
export function position(source: string, start: number, end: number): string {
  const startColumn = [...source.slice(0, start)].length + 1;
  const endColumn = startColumn + [...source.slice(start, end)].length;
  return `${startColumn}:${endColumn} ${source}`;
}

/** Meilisearch's `error_word`: the text up to the next whitespace or `(`, `)`, `=`, `<`, `>`, `!`. */
export function errorWord(source: string, start: number): string {
  let end = start;
  for (const char of source.slice(start)) {
    if (/\p{White_Space}/u.test(char) || '()=<>!'.includes(char)) break;
    end += char.length;
  }
  return source.slice(start, end);
}

/** A hint when the text uses a keyword in the wrong case: Meilisearch only knows `AND`, not `and`. */
export function caseHint(text: string): string {
  for (const word of text.match(/[\p{Alphabetic}\p{Nd}_.-]+/gu) ?? []) {
    const upper = word.toUpperCase();
    if (upper !== word && OPERATOR_KEYWORDS.has(upper)) {
      return ` Filter keywords are case-sensitive: write \`${upper}\` instead of \`${word}\`.`;
    }
  }
  return '';
}

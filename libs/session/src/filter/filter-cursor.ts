import { WORD_CHAR } from './filter-lexicon';
import { FilterSyntaxError } from './filter-syntax-error';

/**
 * The filter parser's position in one expression and the token primitives it steps with, named
 * after the nom combinators of Meilisearch's `crates/filter-parser` they stand for.
 */
export abstract class FilterCursor {
  protected pos = 0;

  constructor(protected readonly source: string) {}

  /** nom's `ws(word_exact(keyword))`: optional whitespace, the whole word, optional whitespace. */
  protected eatKeyword(keyword: string): boolean {
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
  protected eatTag(tag: string): boolean {
    if (!this.source.startsWith(tag, this.pos)) return false;
    this.pos += tag.length;
    return true;
  }

  /** nom's `multispace1`. */
  protected eatWhitespace1(): boolean {
    const before = this.pos;
    this.skipWhitespace();
    return this.pos > before;
  }

  /** nom's `multispace0`: only space, tab, CR and LF. */
  protected skipWhitespace(): void {
    while (this.pos < this.source.length && ' \t\r\n'.includes(this.source[this.pos])) this.pos++;
  }

  /** The unquoted word starting at `at` (possibly empty). */
  protected wordAt(at: number): string {
    let end = at;
    for (const char of this.source.slice(at)) {
      if (!WORD_CHAR.test(char)) break;
      end += char.length;
    }
    return this.source.slice(at, end);
  }

  protected error(message: string, start: number, end: number): FilterSyntaxError {
    return new FilterSyntaxError(message, this.source, start, end);
  }
}

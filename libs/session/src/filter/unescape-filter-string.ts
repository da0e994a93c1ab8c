import type { FilterSyntaxError } from './filter-syntax-error';

/**
 * The value of a quoted string, as Meilisearch computes it:
 * 1. `quoted_by` (`crates/filter-parser/src/value.rs`) removes the backslash before each escaped
 *    quote character;
 * 2. the `unescaper` crate (0.1.5 in v1.15, same code in 0.1.8) then reads `\b \f \n \r \t`,
 *    `\' \" \\ \/`, `\uXXXX`, `\u{X..}`, `\xHH` (a byte, read as U+0000..U+00FF) and octal
 *    `\0`..`\377`; any other escape is an error.
 */
export function unescapeQuoted(content: string, quote: string, fail: (message: string) => FilterSyntaxError): string {
  const text = content.split(`\\${quote}`).join(quote);
  const chars = [...text];
  let out = '';
  let index = 0;
  let escapeStart = 0;
  const escapeText = () => chars.slice(escapeStart, index).join('');
  while (index < chars.length) {
    const char = chars[index++];
    if (char !== '\\') {
      out += char;
      continue;
    }
    escapeStart = index - 1;
    if (index >= chars.length) throw fail(`Incomplete escape sequence \`\\\` in \`${content}\`.`);
    const marker = chars[index++];
    const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', "'": "'", '"': '"', '\\': '\\', '/': '/' };
    if (Object.hasOwn(simple, marker)) {
      out += simple[marker];
    } else if (marker === 'u') {
      let digits = '';
      if (chars[index] === '{') {
        index++;
        while (index < chars.length && chars[index] !== '}') digits += chars[index++];
        if (index < chars.length) index++;
      } else {
        if (index + 4 > chars.length) {
          index = chars.length;
          throw fail(`Incomplete escape sequence \`${escapeText()}\` in \`${content}\`.`);
        }
        digits = chars.slice(index, index + 4).join('');
        index += 4;
      }
      const code = parseRustHex(digits, 0xffffffff);
      if (code === null) throw fail(`Found an invalid escaped sequence number: \`${escapeText()}\`.`);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw fail(`Malformed value: \`${escapeText()}\` is not a Unicode scalar value.`);
      out += String.fromCodePoint(code);
    } else if (marker === 'x') {
      if (index + 2 > chars.length) {
        index = chars.length;
        throw fail(`Incomplete escape sequence \`${escapeText()}\` in \`${content}\`.`);
      }
      const code = parseRustHex(chars.slice(index, index + 2).join(''), 0xff);
      index += 2;
      if (code === null) throw fail(`Found an invalid escaped sequence number: \`${escapeText()}\`.`);
      out += String.fromCharCode(code);
    } else if (/^[0-7]$/.test(marker)) {
      let octal = marker;
      const maxExtra = marker <= '3' ? 2 : 1;
      while (octal.length <= maxExtra && index < chars.length && /^[0-7]$/.test(chars[index])) octal += chars[index++];
      out += String.fromCharCode(parseInt(octal, 8));
    } else {
      throw fail(`Malformed value: unknown escape sequence \`\\${marker}\` in \`${content}\`.`);
    }
  }
  return out;
}

/** Rust's `from_str_radix(s, 16)` for an unsigned type: an optional `+`, then hex digits. */
function parseRustHex(digits: string, max: number): number | null {
  if (!/^\+?[0-9a-fA-F]+$/.test(digits)) return null;
  const value = parseInt(digits.replace(/^\+/, ''), 16);
  return value <= max ? value : null;
}

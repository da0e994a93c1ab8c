/**
 * The lexical rules the filter parser and printer share, from Meilisearch's
 * `crates/filter-parser/src/value.rs` (`is_value_component`, `is_syntax_component`, `is_keyword`).
 * Not exported from the package: an implementation detail of the two.
 */

/** A character of an unquoted word: Rust's `char::is_alphanumeric()` or `_`, `-`, `.`. */
export const WORD_CHAR = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_.-]/u;

const WORD = /^[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_.-]+$/u;

/**
 * Words that cannot be an unquoted value or field name. Meilisearch matches them case-sensitively
 * (`word_exact` compares with `==`, `tag` is nom's case-sensitive tag), so `and` is an ordinary
 * value, not the AND operator.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'IN',
  'NOT',
  'TO',
  'EXISTS',
  'IS',
  'NULL',
  'EMPTY',
  'CONTAINS',
  'STARTS',
  'WITH',
  '_geoRadius',
  '_geoBoundingBox',
]);

/** Operator keywords a user may type in the wrong case; named in error hints. */
export const OPERATOR_KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'IN', 'TO', 'EXISTS', 'IS', 'NULL', 'EMPTY']);

/** Words that start a geo or foreign filter where a condition is expected (`parse_primary`). */
export const UNSUPPORTED_FILTER_FUNCTIONS: ReadonlySet<string> = new Set(['_geo', '_geoRadius', '_geoBoundingBox', '_geoPolygon', '_foreign']);

/** Prefixes Meilisearch rejects wherever a condition or value starts (`parse_geo_point`, `parse_geo_distance` use a prefix tag). */
export const UNSUPPORTED_FILTER_PREFIXES: readonly string[] = ['_geoPoint', '_geoDistance'];

/** True when `name` can be printed without quotes as a field name and still parse as that field. */
export function isBareFieldName(name: string): boolean {
  return (
    WORD.test(name) &&
    !RESERVED_WORDS.has(name) &&
    !UNSUPPORTED_FILTER_FUNCTIONS.has(name) &&
    !UNSUPPORTED_FILTER_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
    !name.startsWith('_vectors')
  );
}

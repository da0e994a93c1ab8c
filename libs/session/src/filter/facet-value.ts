/**
 * How Meilisearch turns filter values and document values into comparable facet keys.
 * Both session stores use these functions so that a filter means the same thing on each.
 *
 * Sources (meilisearch/meilisearch, tags v1.15.0 and main):
 * - `crates/milli/src/lib.rs` `normalize_facet`: `CompatibilityDecompositionNormalizer
 *   .normalize_str(original.trim()).to_lowercase()`; the normalizer is charabia's
 *   `normalizer/compatibility_decomposition.rs`, which applies NFKD one character at a time.
 * - `crates/milli/src/update/new/extract/faceted/extract_facets.rs`: a document string is
 *   stored as `truncate_str(normalize_facet(s))`, cut at `MAX_FACET_VALUE_LENGTH`
 *   (`MAX_LMDB_KEY_LENGTH - 32` = 468 bytes) on a character boundary; an empty string gets no
 *   string facet at all (only the "empty" marker).
 * - `crates/filter-parser/src/lib.rs` `Token::parse_finite_float`: Rust's `str::parse::<f64>`
 *   followed by `is_finite()`.
 */

/** Meilisearch stores at most this many UTF-8 bytes of a string facet value (`MAX_FACET_VALUE_LENGTH`). */
export const MEILI_MAX_FACET_VALUE_BYTES = 468;

const EDGE_WHITESPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

/**
 * Meilisearch's `normalize_facet`: trim (Unicode White_Space, as Rust's `str::trim`), NFKD per
 * character (charabia does not reorder combining marks across characters), then lower-case.
 * Applied to every filter value compared with a string facet.
 */
export function normalizeFacetValue(value: string): string {
  const trimmed = value.replace(EDGE_WHITESPACE, '');
  let decomposed = '';
  for (const char of trimmed) decomposed += char.normalize('NFKD');
  return decomposed.toLowerCase();
}

/**
 * The string facet key Meilisearch indexes for a document string, or null when it indexes none
 * (`""` gets only the "empty" marker). Normalised, then cut to 468 UTF-8 bytes on a character
 * boundary like milli's `truncate_str`.
 */
export function facetKeyOf(documentValue: string): string | null {
  if (documentValue === '') return null;
  const normalized = normalizeFacetValue(documentValue);
  if (Buffer.byteLength(normalized, 'utf8') <= MEILI_MAX_FACET_VALUE_BYTES) return normalized;
  let bytes = 0;
  let end = 0;
  for (const char of normalized) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > MEILI_MAX_FACET_VALUE_BYTES) break;
    bytes += size;
    end += char.length;
  }
  return normalized.slice(0, end);
}

// Rust's f64 grammar (core::num::dec2flt): Sign? (Digit+ | Digit+ '.' Digit* | Digit* '.' Digit+) Exp?
// "inf", "infinity" and "nan" also parse in Rust but are not finite, so they never count as numbers.
const RUST_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number Meilisearch reads from a filter value (`parse_finite_float`), or null when the value
 * is not a finite float in Rust's syntax. A filter value that is not a number only ever compares
 * with string facets.
 */
export function parseFilterNumber(value: string): number | null {
  if (!RUST_FLOAT.test(value)) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * The canonical form of a `>`, `>=`, `<`, `<=` or `TO` bound: its normalised form whenever that
 * changes nothing for numbers, else the value as written.
 *
 * Why: Meilisearch v1.15 to v1.42 compares the raw bound with normalised string facets
 * (`Excluded(val.value())` in `crates/milli/src/search/facet/filter.rs`, v1.15.0), while v1.43 and
 * later normalise the bound first (PR #6340 "Normalize before filter",
 * `crates/milli/src/search/facet/filter/index_filter.rs`). Sending an already normalised bound
 * makes every version, and the SQLite store, agree. (Before v1.15 a bound that is not a number
 * was an error.) The number reading must not change: a bound
 * like `" 5"` is not a number for Meilisearch but its normalised `"5"` would be, so it stays raw;
 * so does a value whose normalisation is not idempotent (e.g. a leading `´`, whose NFKD begins
 * with a space).
 */
export function canonicalRangeBound(value: string): string {
  const normalized = normalizeFacetValue(value);
  if (normalized === value) return value;
  if (normalizeFacetValue(normalized) !== normalized) return value;
  if (parseFilterNumber(normalized) !== parseFilterNumber(value)) return value;
  return normalized;
}

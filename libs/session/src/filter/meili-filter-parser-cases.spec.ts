import cases from './meili-filter-parser-cases.json';
import { FilterFieldCatalogue, parseSessionFilter } from './parse-session-filter';

/**
 * Meilisearch's own filter-parser test cases (extracted from `crates/filter-parser/src/lib.rs`,
 * source named in the JSON file), run through our parser: what Meilisearch accepts is accepted,
 * what it refuses is refused. Field names are not checked here (every name but `_vectors` paths is
 * taken as filterable): only the grammar.
 *
 * Except, and refused on purpose (PROTOCOL section 3 supports neither): geo filters (session
 * documents have no `_geo`), `_foreign`, `_vectors` paths, and the experimental `CONTAINS` /
 * `STARTS WITH` (the `containsFilter` feature).
 */
const DELIBERATELY_REFUSED = /_geo|_foreign|_vectors|CONTAINS|STARTS WITH/;

/** Every field name is filterable here except `_vectors` paths: the cases test the grammar, not our field list. */
const ANY_FIELD: FilterFieldCatalogue = new Proxy({} as FilterFieldCatalogue, {
  getOwnPropertyDescriptor: (_target, name) =>
    typeof name === 'string' && !name.startsWith('_vectors') ? { value: 'string', enumerable: true, configurable: true, writable: false } : undefined,
});

function outcome(source: string): 'accepted' | 'refused' {
  return parseSessionFilter(source, ANY_FIELD).ok ? 'accepted' : 'refused';
}

describe("Meilisearch's filter-parser cases", () => {
  it('names where they come from', () => {
    expect(cases.source).toMatch(/^meilisearch\/meilisearch crates\/filter-parser\/src\/lib\.rs at [0-9a-f]{40}/);
    expect(cases.accepted.length + cases.refused.length).toBeGreaterThan(150);
  });

  it.each(cases.accepted.filter((source) => !DELIBERATELY_REFUSED.test(source)))('accepts %j as Meilisearch does', (source) => {
    expect(outcome(source)).toBe('accepted');
  });

  it.each(cases.accepted.filter((source) => DELIBERATELY_REFUSED.test(source)))('refuses %j, which session filters do not support', (source) => {
    expect(outcome(source)).toBe('refused');
  });

  it.each(cases.refused)('refuses %j as Meilisearch does', (source) => {
    expect(outcome(source)).toBe('refused');
  });
});

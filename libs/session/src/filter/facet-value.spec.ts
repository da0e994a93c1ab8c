import { canonicalRangeBound, facetKeyOf, MEILI_MAX_FACET_VALUE_BYTES, normalizeFacetValue, parseFilterNumber } from './facet-value';

describe(normalizeFacetValue.name, () => {
  it.each([
    ['lower-cases', 'StandUp', 'standup'],
    ['lower-cases beyond ASCII', 'ÉMILIE', 'e\u0301milie'],
    ['trims ASCII whitespace', ' \t alice \n', 'alice'],
    ['trims Unicode whitespace, as Rust str::trim', '\u00a0\u2003alice\u3000', 'alice'],
    ['keeps inner whitespace', 'a  b', 'a  b'],
    ['decomposes precomposed letters (NFKD)', 'café', 'cafe\u0301'],
    ['leaves decomposed letters alone', 'cafe\u0301', 'cafe\u0301'],
    ['expands compatibility ligatures', 'ﬁnance', 'finance'],
    ['folds full-width forms', 'ＡＢＣ１', 'abc1'],
    ['maps the Kelvin sign to k', '\u212a', 'k'],
    ['leaves an empty string empty', '', ''],
  ])('%s', (_label, input, expected) => {
    expect(normalizeFacetValue(input)).toBe(expected);
  });

  it('decomposes one character at a time, like charabia (no reordering of combining marks)', () => {
    // U+0323 (class 220) after U+0307 (class 230) is out of canonical order; String#normalize would swap them
    expect(normalizeFacetValue('s\u0307\u0323')).toBe('s\u0307\u0323');
    expect('s\u0307\u0323'.normalize('NFKD')).toBe('s\u0323\u0307');
  });
});

describe(facetKeyOf.name, () => {
  it('is null for an empty string: Meilisearch indexes no string facet for it', () => {
    expect(facetKeyOf('')).toBeNull();
  });

  it('is the empty key for a blank string: Meilisearch normalises it to ""', () => {
    expect(facetKeyOf('   ')).toBe('');
  });

  it('normalises', () => {
    expect(facetKeyOf(' Café ')).toBe('cafe\u0301');
  });

  it('keeps 468 bytes', () => {
    expect(facetKeyOf('a'.repeat(MEILI_MAX_FACET_VALUE_BYTES))).toBe('a'.repeat(468));
  });

  it('cuts longer values at 468 bytes', () => {
    expect(facetKeyOf('b'.repeat(500))).toBe('b'.repeat(468));
  });

  it('cuts on a character boundary, like milli truncate_str', () => {
    // 467 one-byte characters, then a two-byte one that would end at byte 469
    const key = facetKeyOf(`${'a'.repeat(467)}ßz`);
    expect(key).toBe('a'.repeat(467));
    expect(facetKeyOf(`${'a'.repeat(466)}ßz`)).toBe(`${'a'.repeat(466)}ß`);
  });
});

describe(parseFilterNumber.name, () => {
  it.each([
    ['1', 1],
    ['-1', -1],
    ['+1', 1],
    ['1.', 1],
    ['.5', 0.5],
    ['1.5e3', 1500],
    ['1E-2', 0.01],
    ['1700000000', 1700000000],
    ['0.1', 0.1],
    ['007', 7],
  ])('reads %s as %d, as Rust f64 parsing does', (input, expected) => {
    expect(parseFilterNumber(input)).toBe(expected);
  });

  it.each(['', '.', '-', 'e5', '1e', '1e+', 'inf', 'infinity', 'NaN', 'Infinity', '0x10', '1_000', ' 1', '1 ', '1,5', '１', '1e400', 'abc'])(
    'does not read %j as a finite number',
    (input) => {
      expect(parseFilterNumber(input)).toBeNull();
    },
  );
});

describe(canonicalRangeBound.name, () => {
  it.each([
    ['lower-cases a string bound', 'ABC', 'abc'],
    ['normalises compatibility forms', 'ﬁ', 'fi'],
    ['trims', '  abc ', 'abc'],
    ['lower-cases an exponent without changing the number', '1E5', '1e5'],
    ['keeps a plain number', '1.50', '1.50'],
    ['keeps a bound whose normalisation would become a number', ' 5', ' 5'],
    ['keeps a full-width digit, which would normalise to a number', '５', '５'],
    ['keeps a bound whose normalisation is not idempotent', '\u00b4x', '\u00b4x'],
  ])('%s', (_label, input, expected) => {
    expect(canonicalRangeBound(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const value of ['ABC', '1E5', ' 5', '\u00b4x', 'ﬁ', 'Ω', '']) {
      expect(canonicalRangeBound(canonicalRangeBound(value))).toBe(canonicalRangeBound(value));
    }
  });
});

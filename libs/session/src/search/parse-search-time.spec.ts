import { parseSearchTime } from './parse-search-time';

describe(parseSearchTime.name, () => {
  it('reads Unix seconds, fractions included', () => {
    expect(parseSearchTime('1793491200')).toBe(1793491200);
    expect(parseSearchTime('1793491200.25')).toBe(1793491200.25);
  });

  it('reads ISO 8601 dates and times, UTC unless a zone is given', () => {
    expect(parseSearchTime('2026-11-01')).toBe(Date.UTC(2026, 10, 1) / 1000);
    expect(parseSearchTime('2026-11-01T14:30')).toBe(Date.UTC(2026, 10, 1, 14, 30) / 1000);
    expect(parseSearchTime('2026-11-01T14:30:00Z')).toBe(Date.UTC(2026, 10, 1, 14, 30) / 1000);
    expect(parseSearchTime('2026-11-01T14:30:00.5+02:00')).toBe(Date.UTC(2026, 10, 1, 12, 30, 0, 500) / 1000);
  });

  it.each(['', 'yesterday', '-5', '1e9', '2026-13-01', '2026-11-01T25:00', '2026-11-01 14:30'])('refuses %j', (value) => {
    expect(parseSearchTime(value)).toBeNull();
  });
});

import { parseSessionSort } from './parse-session-sort';

describe(parseSessionSort.name, () => {
  it('reads field:direction rules in order', () => {
    expect(parseSessionSort(['rtt_ms:asc', 'created_at:desc'])).toEqual({
      ok: true,
      sort: [
        { field: 'rtt_ms', direction: 'asc' },
        { field: 'created_at', direction: 'desc' },
      ],
    });
  });

  it.each([
    ['created_at', 'not of the form'],
    ['created_at:up', 'not of the form'],
    ['room_id:asc', '"room_id" is not sortable'],
    ['__proto__:asc', 'is not sortable'],
  ])('refuses %s', (rule, message) => {
    const result = parseSessionSort([rule]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });

  it('refuses a field given twice', () => {
    expect(parseSessionSort(['rtt_ms:asc', 'rtt_ms:desc'])).toEqual({ ok: false, error: 'sort: "rtt_ms" is given twice' });
  });
});

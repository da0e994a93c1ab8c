/** ISO 8601 date or date-time, with an optional zone (UTC when absent, as `TZ` must not matter). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const UNIX_SECONDS = /^\d{1,12}(\.\d{1,6})?$/;

/**
 * A `from`/`to` bound of `GET /api/sessions`: Unix seconds (fractions allowed) or ISO 8601.
 * Returns Unix seconds, or null when the value is neither.
 */
export function parseSearchTime(value: string): number | null {
  if (UNIX_SECONDS.test(value)) return Number(value);
  if (!ISO_8601.test(value)) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) && value.includes('T');
  const ms = Date.parse(hasZone || !value.includes('T') ? value : `${value}Z`);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

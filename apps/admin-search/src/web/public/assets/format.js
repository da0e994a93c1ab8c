/** Unix seconds (fractions allowed) as `YYYY-MM-DD HH:MM:SS.mmm` in UTC (without `.mmm` when `ms` is false); times in the contract are Unix seconds. */
export function formatTime(seconds, { ms = true } = {}) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '—';
  const text = new Date(seconds * 1000).toISOString().replace('T', ' ').replace('Z', '');
  return ms ? text : text.slice(0, 19);
}

/** Milliseconds, or a dash when the value is unknown. */
export function formatMs(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** A number with its unit, or a dash. */
export function formatNumber(value, unit = '') {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const rounded = Math.round(value * 100) / 100;
  return unit ? `${rounded} ${unit}` : String(rounded);
}

/** Any value as short text for a details table. */
export function formatValue(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** A `datetime-local` input value, read as UTC, in Unix seconds; null when empty or invalid. */
export function utcInputToSeconds(value) {
  if (!value) return null;
  const ms = Date.parse(`${value}Z`);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

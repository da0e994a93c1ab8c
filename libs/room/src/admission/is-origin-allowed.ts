/**
 * PROTOCOL section 1: when ALLOWED_ORIGINS is set, the `Origin` header must be
 * one of them exactly; an empty list allows any origin (and non-browser clients).
 */
export function isOriginAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (allowed.length === 0) return true;
  return origin !== undefined && allowed.includes(origin);
}

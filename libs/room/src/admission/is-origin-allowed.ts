/** An origin is `scheme://host[:port]` and nothing more (RFC 6454 serialisation). */
const ORIGIN_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s@]+$/;

/**
 * The comparable form of an `http`/`https` origin: scheme and host lower-cased,
 * the default port dropped (`https://App.example.com:443` is `https://app.example.com`).
 * Null for `null`, other schemes and anything that is not exactly an origin.
 */
export function canonicalOrigin(origin: string): string | null {
  if (!ORIGIN_SHAPE.test(origin)) return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // WHATWG URL already lower-cases and punycodes the host and drops the scheme's default port
  return `${url.protocol}//${url.host}`;
}

/**
 * PROTOCOL section 1: when ALLOWED_ORIGINS is set, the `Origin` header must be
 * one of them once both are canonicalised; an empty list allows any origin (and
 * non-browser clients). `null` (sandboxed frames, `file:` pages, some redirects)
 * is shared by every opaque origin, so it never matches, even when listed.
 */
export function isOriginAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (allowed.length === 0) return true;
  if (origin === undefined) return false;
  const canonical = canonicalOrigin(origin);
  if (canonical === null) return false;
  return allowed.some((entry) => canonicalOrigin(entry) === canonical);
}

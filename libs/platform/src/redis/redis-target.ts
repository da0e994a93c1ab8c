/** A Redis URL as it may be shown in logs and errors: scheme, host, port and db, never a password. */
export function redisTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
  } catch {
    return '(an invalid REDIS_URL)';
  }
}

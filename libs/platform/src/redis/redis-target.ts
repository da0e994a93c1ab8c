import type { RedisConnectionConfig } from './redis-connection-config';

/**
 * Redis as it may be shown in logs and errors, never with a password: a URL's scheme, host,
 * port and db, or a cluster's seed nodes.
 */
export function redisTarget(target: string | RedisConnectionConfig): string {
  if (typeof target !== 'string') {
    if (target.mode === 'single') return redisTarget(target.url);
    return `cluster ${target.nodes.map((node) => (node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`)).join(',')}`;
  }
  try {
    const parsed = new URL(target);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
  } catch {
    return '(an invalid REDIS_URL)';
  }
}

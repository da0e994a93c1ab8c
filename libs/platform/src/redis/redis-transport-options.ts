import type { RedisOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';

/** Reconnect spacing of the transport's connections: a Redis restart is picked up within half a second. */
const RETRY_DELAY_MS = 500;

/**
 * The NestJS Redis microservice transport on the same Redis as everything else
 * (PROTOCOL section 4: the apps talk only through Redis). Nest's transport never
 * reconnects unless told how often, so it retries for the process's lifetime.
 */
export function redisTransportOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    transport: Transport.REDIS,
    options: {
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: parsed.port ? Number(parsed.port) : 6379,
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
      ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
      retryAttempts: Number.MAX_SAFE_INTEGER,
      retryDelay: RETRY_DELAY_MS,
    },
  };
}

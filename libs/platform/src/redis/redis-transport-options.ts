import type { RedisOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';

/**
 * Reconnect spacing of the transport's connections (Nest's transport takes a fixed delay
 * only): a restarted Redis is picked up within a second, and while it is away each of the
 * four connections tries once a second, like the apps' own connections once backed off.
 */
const RETRY_DELAY_MS = 1_000;

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

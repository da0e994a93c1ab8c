import type { Type } from '@nestjs/common';
import type { ClientProvider, ClientProxy, MicroserviceOptions, RedisOptions } from '@nestjs/microservices';
import { RedisClusterTransportClient, RedisClusterTransportOptions, RedisClusterTransportServer } from './redis-cluster-transport';
import type { RedisConnectionConfig } from './redis-connection-config';
import { RedisTransportClient, RedisTransportServer } from './redis-transport';

/**
 * Reconnect spacing of the transport's connections (Nest's transport takes a fixed delay
 * only): a restarted Redis is picked up within a second, and while it is away each of the
 * four connections tries once a second, like the apps' own connections once backed off.
 */
const RETRY_DELAY_MS = 1_000;

/**
 * The NestJS Redis microservice transport on the same Redis as everything else
 * (PROTOCOL section 4: the apps talk only through Redis), as a client (`ClientsModule`):
 * Nest's own transport on one Redis (with credentials kept out of its logs), its cluster variant
 * on a Redis Cluster. Nest's transport never reconnects unless told how often, so it retries for
 * the process's lifetime.
 */
export function redisTransportOptions(target: string | RedisConnectionConfig): ClientProvider {
  const config = asConfig(target);
  // a ClientRedis is a ClientProxy of Redis statuses; Nest's type for customClass only knows plain strings
  if (config.mode === 'cluster') return { customClass: RedisClusterTransportClient as unknown as Type<ClientProxy>, options: clusterTransportOptions(config) };
  return { customClass: RedisTransportClient as unknown as Type<ClientProxy>, options: singleRedisTransportOptions(config.url) };
}

/** The same transport as a server the app listens on (`connectMicroservice`). */
export function redisTransportServer(target: string | RedisConnectionConfig): MicroserviceOptions {
  const config = asConfig(target);
  if (config.mode === 'cluster') return { strategy: new RedisClusterTransportServer(clusterTransportOptions(config)) };
  return { strategy: new RedisTransportServer(singleRedisTransportOptions(config.url)) };
}

function asConfig(target: string | RedisConnectionConfig): RedisConnectionConfig {
  return typeof target === 'string' ? { mode: 'single', url: target } : target;
}

function clusterTransportOptions({ nodes, credentials }: Extract<RedisConnectionConfig, { mode: 'cluster' }>): RedisClusterTransportOptions {
  return { nodes, ...(credentials ? { credentials } : {}), retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: RETRY_DELAY_MS };
}

function singleRedisTransportOptions(url: string): NonNullable<RedisOptions['options']> {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    retryAttempts: Number.MAX_SAFE_INTEGER,
    retryDelay: RETRY_DELAY_MS,
  };
}

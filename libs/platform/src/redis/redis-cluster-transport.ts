import { ClientRedis, ServerRedis } from '@nestjs/microservices';
import { Cluster } from 'ioredis';
import type { RedisClusterCredentials, RedisClusterNode } from './redis-connection-config';
import { redactCredentialsOfErrors } from './redact-redis-credentials';

/** What the cluster variants of Nest's Redis transport take: the seeds, the nodes' credentials, and Nest's reconnect settings. */
export interface RedisClusterTransportOptions {
  readonly nodes: readonly RedisClusterNode[];
  readonly credentials?: RedisClusterCredentials;
  readonly retryAttempts: number;
  readonly retryDelay: number;
}

/**
 * A Cluster client for Nest's transport: lazy (Nest connects it), reconnecting as Nest's
 * retry settings say. Nest publishes and subscribes with plain PUBLISH/SUBSCRIBE, which a
 * Redis Cluster carries to every node over its bus, so a request reaches its handler
 * whichever node each side is connected to.
 */
function transportCluster(options: RedisClusterTransportOptions, retry: (attempt: number) => number | undefined | void): Cluster {
  const cluster = new Cluster(
    options.nodes.map(({ host, port }) => ({ host, port })),
    {
      lazyConnect: true,
      clusterRetryStrategy: (attempt) => retry(attempt) ?? null,
      slotsRefreshInterval: 5_000,
      redisOptions: { connectTimeout: 2_000, ...options.credentials },
    },
  );
  // Nest logs the transport's errors whole: a refused AUTH must not take the password with it
  redactCredentialsOfErrors(cluster);
  return cluster;
}

/**
 * Nest's Redis transport server (patterns, serialization, request/reply as `ServerRedis`
 * does them) on a Redis Cluster: `@nestjs/microservices` 12 builds only single-Redis ioredis
 * clients (`createRedisClient`), so this one builds ioredis's `Cluster` instead.
 */
export class RedisClusterTransportServer extends ServerRedis {
  private readonly clusterOptions: RedisClusterTransportOptions;

  constructor(options: RedisClusterTransportOptions) {
    super({ retryAttempts: options.retryAttempts, retryDelay: options.retryDelay });
    this.clusterOptions = options;
  }

  override async createRedisClient(): Promise<Cluster> {
    return transportCluster(this.clusterOptions, (attempt) => this.createRetryStrategy(attempt));
  }
}

/** Nest's Redis transport client (`ClientProxy`) on a Redis Cluster; see `RedisClusterTransportServer`. */
export class RedisClusterTransportClient extends ClientRedis {
  constructor(private readonly clusterOptions: RedisClusterTransportOptions) {
    super({ retryAttempts: clusterOptions.retryAttempts, retryDelay: clusterOptions.retryDelay });
  }

  override async createClient(): Promise<Cluster> {
    return transportCluster(this.clusterOptions, (attempt) => this.createRetryStrategy(attempt));
  }
}

import type { NodeId } from '@sg/schema';
import { RedisConnectionConfig, redisConnectionConfig } from '../redis/redis-connection-config';
import type { CommonEnv, LogFormat, LogLevel } from './common-env';

/** The typed form of the variables every app reads; each app's config extends it. */
export class CommonConfig {
  readonly nodeId: NodeId;
  readonly http: { readonly host: string; readonly port: number };
  /** One Redis (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). */
  readonly redis: RedisConnectionConfig;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;

  constructor(env: CommonEnv) {
    this.nodeId = env.NODE_ID as NodeId;
    this.http = { host: env.HOST, port: env.PORT };
    this.redis = redisConnectionConfig(env);
    this.logLevel = env.LOG_LEVEL;
    this.logFormat = env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  }
}

/** The store settings of indexer and admin-search. */
export interface StoreConfig {
  readonly kind: 'sqlite' | 'meilisearch';
  readonly sqlitePath: string;
  readonly meiliUrl?: string;
  readonly meiliMasterKey?: string;
}

/** The store as the start-up line names it, never with its key. */
export function describeStore(store: StoreConfig): string {
  if (store.kind === 'meilisearch') return `meilisearch at ${store.meiliUrl ?? '(no MEILI_URL)'}`;
  return `sqlite at ${store.sqlitePath}`;
}

import type { NodeId } from '@sg/schema';
import type { CommonEnv, LogLevel } from './common-env';

/** The typed form of the variables every app reads; each app's config extends it. */
export class CommonConfig {
  readonly nodeId: NodeId;
  readonly http: { readonly host: string; readonly port: number };
  readonly redisUrl: string;
  readonly logLevel: LogLevel;

  constructor(env: CommonEnv) {
    this.nodeId = env.NODE_ID as NodeId;
    this.http = { host: env.HOST, port: env.PORT };
    this.redisUrl = env.REDIS_URL;
    this.logLevel = env.LOG_LEVEL;
  }
}

/** The store settings of indexer and admin-search. */
export interface StoreConfig {
  readonly kind: 'sqlite' | 'meilisearch';
  readonly sqlitePath: string;
  readonly meiliUrl?: string;
  readonly meiliMasterKey?: string;
}

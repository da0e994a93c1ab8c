import type { StoreKind } from '@sg/platform';
import type { IndexerEnv } from './indexer-env';

/** The indexer's typed configuration. */
export class IndexerConfig {
  constructor(
    readonly nodeId: string,
    readonly http: { host: string; port: number },
    readonly redisUrl: string,
    readonly logLevel: IndexerEnv['LOG_LEVEL'],
    readonly store: { kind: StoreKind; sqlitePath: string; meiliUrl?: string; meiliMasterKey?: string },
  ) {}
}

export function toIndexerConfig(env: IndexerEnv): IndexerConfig {
  return new IndexerConfig(env.NODE_ID, { host: env.HOST, port: env.PORT }, env.REDIS_URL, env.LOG_LEVEL, {
    kind: env.STORE,
    sqlitePath: env.SQLITE_PATH,
    meiliUrl: env.MEILI_URL,
    meiliMasterKey: env.MEILI_MASTER_KEY,
  });
}

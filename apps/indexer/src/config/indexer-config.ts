import { CommonConfig, StoreConfig } from '@sg/platform';
import type { IndexerEnv } from './indexer-env';

/** The indexer's typed configuration. */
export class IndexerConfig extends CommonConfig {
  readonly store: StoreConfig;

  constructor(env: IndexerEnv) {
    super(env);
    this.store = { kind: env.STORE, sqlitePath: env.SQLITE_PATH, meiliUrl: env.MEILI_URL, meiliMasterKey: env.MEILI_MASTER_KEY };
  }
}

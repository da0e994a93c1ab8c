import { CommonConfig, StoreConfig } from '@sg/platform';
import type { SearchAdmissionLimits } from '../sessions/search-admission';
import type { AdminSearchEnv } from './admin-search-env';

/** admin-search's typed configuration. */
export class AdminSearchConfig extends CommonConfig {
  readonly adminApiKey: string;
  readonly store: StoreConfig;
  readonly search: SearchAdmissionLimits;

  constructor(env: AdminSearchEnv) {
    super(env);
    // validated as required at start-up
    this.adminApiKey = env.ADMIN_API_KEY as string;
    this.store = { kind: env.STORE, sqlitePath: env.SQLITE_PATH, meiliUrl: env.MEILI_URL, meiliMasterKey: env.MEILI_MASTER_KEY };
    this.search = { timeoutMs: env.SEARCH_TIMEOUT_MS, concurrency: env.SEARCH_CONCURRENCY, queueMax: env.SEARCH_QUEUE_MAX };
  }
}

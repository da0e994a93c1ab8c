import type { StoreKind } from '@sg/platform';
import type { AdminSearchEnv } from './admin-search-env';

/** admin-search's typed configuration. */
export class AdminSearchConfig {
  constructor(
    readonly nodeId: string,
    readonly http: { host: string; port: number },
    readonly redisUrl: string,
    readonly logLevel: AdminSearchEnv['LOG_LEVEL'],
    readonly adminApiKey: string,
    readonly store: { kind: StoreKind; sqlitePath: string; meiliUrl?: string; meiliMasterKey?: string },
  ) {}
}

export function toAdminSearchConfig(env: AdminSearchEnv): AdminSearchConfig {
  return new AdminSearchConfig(env.NODE_ID, { host: env.HOST, port: env.PORT }, env.REDIS_URL, env.LOG_LEVEL, env.ADMIN_API_KEY as string, {
    kind: env.STORE,
    sqlitePath: env.SQLITE_PATH,
    meiliUrl: env.MEILI_URL,
    meiliMasterKey: env.MEILI_MASTER_KEY,
  });
}

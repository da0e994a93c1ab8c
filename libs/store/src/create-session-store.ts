import type { SessionStore } from '@sg/session';
import { MeiliSessionStore } from './meilisearch/meili-session-store';
import type { SqliteSearchWorkerEntry } from './sqlite/search-pool/sqlite-search-pool';
import { SqliteSessionStore } from './sqlite/sqlite-session-store';

export interface SessionStoreSettings {
  readonly kind: 'sqlite' | 'meilisearch';
  readonly sqlitePath: string;
  readonly meiliUrl?: string;
  readonly meiliMasterKey?: string;
  /** SQLite only: search in worker threads (see `SqliteSessionStoreOptions.searchWorkers`). */
  readonly sqliteSearchWorkers?: { readonly size: number; readonly entry: SqliteSearchWorkerEntry };
}

/** The one place a store implementation is chosen (`STORE`, PROTOCOL section 4). */
export async function createSessionStore(settings: SessionStoreSettings): Promise<SessionStore> {
  const store =
    settings.kind === 'meilisearch'
      ? new MeiliSessionStore({ url: settings.meiliUrl as string, apiKey: settings.meiliMasterKey })
      : new SqliteSessionStore({ path: settings.sqlitePath, searchWorkers: settings.sqliteSearchWorkers });
  await store.init();
  return store;
}

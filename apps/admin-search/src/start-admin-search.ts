import 'reflect-metadata';
import { bootstrapApp, describeStore, loadConfigOrExit, redisTarget, redisTransportServer } from '@sg/platform';
import type { SqliteSearchWorkerEntry } from '@sg/store';
import { AdminSearchModule } from './admin-search.module';
import { AdminSearchConfig } from './config/admin-search-config';
import { AdminSearchEnv } from './config/admin-search-env';
import { jsonDepthRefusal, REQUEST_BODY_MAX_BYTES } from './http/request-limits';

/** Validates the environment and serves admin-search; its SQLite search workers run `searchWorkerEntry`. */
export async function startAdminSearch(searchWorkerEntry: SqliteSearchWorkerEntry): Promise<void> {
  const config = loadConfigOrExit(AdminSearchEnv, 'admin-search', (env) => new AdminSearchConfig(env));
  await bootstrapApp(AdminSearchModule.forRoot(config, searchWorkerEntry), config.http.host, config.http.port, {
    redis: config.redis,
    summary: `operator page /; node ${config.nodeId}; Redis ${redisTarget(config.redis)}; store ${describeStore(config.store)}`,
    // the gateway nodes' lifecycle notifications (PROTOCOL section 4)
    microservices: () => [redisTransportServer(config.redis)],
    // PROTOCOL section 3 "Limits": 413 over 1 MiB, 400 past 64 levels, before anything parses or recurses
    jsonBody: { limitBytes: REQUEST_BODY_MAX_BYTES, check: jsonDepthRefusal },
  });
}

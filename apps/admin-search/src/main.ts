import 'reflect-metadata';
import { bootstrapApp, describeStore, loadConfigOrExit, redisTarget, redisTransportOptions } from '@sg/platform';
import { AdminSearchModule } from './admin-search.module';
import { AdminSearchConfig } from './config/admin-search-config';
import { AdminSearchEnv } from './config/admin-search-env';

async function main(): Promise<void> {
  const config = loadConfigOrExit(AdminSearchEnv, 'admin-search', (env) => new AdminSearchConfig(env));
  await bootstrapApp(AdminSearchModule.forRoot(config), config.http.host, config.http.port, {
    redisUrl: config.redisUrl,
    summary: `operator page /; node ${config.nodeId}; Redis ${redisTarget(config.redisUrl)}; store ${describeStore(config.store)}`,
    // the gateway nodes' lifecycle notifications (PROTOCOL section 4)
    microservices: () => [redisTransportOptions(config.redisUrl)],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`admin-search: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

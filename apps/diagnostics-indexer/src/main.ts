import 'reflect-metadata';
import { RedisStreamsTransport } from '@sg/cluster';
import { bootstrapApp, describeStore, loadConfigOrExit, redisTarget, startTracing } from '@sg/platform';
import { IndexerConfig } from './config/indexer-config';
import { IndexerEnv } from './config/indexer-env';
import { IndexerModule } from './indexer.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(IndexerEnv, 'diagnostics-indexer', (env) => new IndexerConfig(env));
  // before the app exists, so its first spans have somewhere to go (docs/operations.md, "Tracing")
  const tracing = config.tracing ? startTracing(config.tracing, config.nodeId) : null;
  await bootstrapApp(IndexerModule.forRoot(config), config.http.host, config.http.port, {
    redis: config.redis,
    summary: `node ${config.nodeId}; Redis ${redisTarget(config.redis)}; store ${describeStore(config.store)}; tracing ${config.tracing ? `to ${config.tracing.endpoint}` : 'off'}`,
    // the spans of the last writes are exported before the process exits
    afterClose: tracing ? () => tracing.shutdown() : undefined,
    // the session event streams as a Nest transport, built by DI (it reads the module's SessionEventSource)
    microservices: (app) => [{ strategy: app.get(RedisStreamsTransport) }],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`diagnostics-indexer: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { bootstrapApp, loadConfigOrExit, redisTarget, redisTransportServer, startTracing } from '@sg/platform';
import { toGatewayConfig } from './config/gateway-config';
import { GatewayEnv } from './config/gateway-env';
import { openFilesWarning, softOpenFilesLimit } from './config/open-files-warning';
import { markOldGenerationByGrowth } from './runtime/old-generation-marking';
import { GatewayModule } from './gateway.module';
import { SignalingWsAdapter } from './signaling/signaling-ws.adapter';

async function main(): Promise<void> {
  markOldGenerationByGrowth();
  const config = loadConfigOrExit(GatewayEnv, 'gateway', toGatewayConfig);
  // before the app exists, so its first spans have somewhere to go (docs/operations.md, "Tracing")
  const tracing = config.tracing ? startTracing(config.tracing, config.nodeId) : null;
  await bootstrapApp(GatewayModule.forRoot(config), config.http.host, config.http.port, {
    redis: config.redis,
    summary: `WebSocket /ws; node ${config.nodeId}; Redis ${redisTarget(config.redis)}; tracing ${config.tracing ? `to ${config.tracing.endpoint}` : 'off'}`,
    // the root spans the app ended while closing are exported before the process exits
    afterClose: tracing ? () => tracing.shutdown() : undefined,
    // /ws shares the HTTP server with the probes and /metrics
    webSocketAdapter: (app) => new SignalingWsAdapter(app, { maxPayload: config.limits.messageMaxBytes }),
    // operator actions addressed to this node (PROTOCOL section 3)
    microservices: () => [redisTransportServer(config.redis)],
  });
  const openFiles = openFilesLimit();
  if (openFiles === null) return;
  const warning = openFilesWarning(config, openFiles);
  // at debug when fine, so the check is seen to have run (LOG_LEVEL=debug)
  if (warning) new Logger('Bootstrap').warn(warning);
  else new Logger('Bootstrap').debug(`the open-files limit of ${openFiles} leaves room for MAX_CONNECTIONS=${config.limits.maxConnections}`);
}

/** Linux only: Node has no getrlimit, and elsewhere the check is skipped without a word. */
function openFilesLimit(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    return softOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return null;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

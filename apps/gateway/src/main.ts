import 'reflect-metadata';
import { bootstrapApp, loadConfigOrExit } from '@sg/platform';
import { toGatewayConfig } from './config/gateway-config';
import { GatewayEnv } from './config/gateway-env';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(GatewayEnv, 'gateway', toGatewayConfig);
  await bootstrapApp(GatewayModule.forRoot(config), config.http.host, config.http.port);
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

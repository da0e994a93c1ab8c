import 'reflect-metadata';
import { bootstrapApp, EnvValidationError, loadEnvOrExit } from '@sg/platform';
import { toGatewayConfig } from './config/gateway-config';
import { GatewayEnv } from './config/gateway-env';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const env = loadEnvOrExit(GatewayEnv, 'gateway');
  let config;
  try {
    config = toGatewayConfig(env);
  } catch (error) {
    if (!(error instanceof EnvValidationError)) throw error;
    process.stderr.write(`gateway: ${error.message}\nSee docs/configuration.md.\n`);
    process.exit(1);
  }
  await bootstrapApp(GatewayModule.forRoot(config), config.http.host, config.http.port);
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

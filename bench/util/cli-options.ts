/** `--flag=value` from the arguments, else the environment variable `env`; undefined when neither is set (or it is empty). */
export function optionValue(argv: readonly string[], flag: string, env: string): string | undefined {
  const prefix = `--${flag}=`;
  const fromArgv = argv.find((arg) => arg.startsWith(prefix));
  if (fromArgv !== undefined) return fromArgv.slice(prefix.length);
  const value = process.env[env];
  return value === undefined || value === '' ? undefined : value;
}

/** A comma-separated list, items trimmed, empty ones left out. */
export function listOption(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `--gateway-env=K=V,K=V` (BENCH_GATEWAY_ENV): extra variables for the gateways a bench starts. */
export function gatewayEnvOption(argv: readonly string[], name = 'gateway-env', envName = 'BENCH_GATEWAY_ENV'): Record<string, string> {
  const gatewayEnv: Record<string, string> = {};
  for (const pair of listOption(optionValue(argv, name, envName) ?? '')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--${name}: expected K=V, got "${pair}"`);
    gatewayEnv[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return gatewayEnv;
}

import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './free-port';

export interface AppProcess {
  readonly port: number;
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Everything the process wrote, for assertions and failure reports. */
  output(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export type AppName = 'gateway' | 'diagnostics-indexer' | 'admin-search';

const WORKSPACE_ROOT = resolve(__dirname, '../../..');

/** What every test app gets unless a test says otherwise: loopback only, so nothing a test starts reaches off the machine. */
function testDefaults(app: AppName): Record<string, string> {
  const defaults: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1' };
  // the probe peer gathers and binds on loopback only
  if (app === 'gateway') defaults['PROBE_ICE_ADDRESS'] = '127.0.0.1';
  return defaults;
}

/**
 * Starts a built app (`dist/apps/<app>/main.js`) as its own process on a free
 * loopback port, the way operators start it, and waits until /healthz answers.
 */
export async function startApp(app: AppName, env: Record<string, string>, timeoutMs = 15_000): Promise<AppProcess> {
  const port = env['PORT'] ? Number(env['PORT']) : await freePort();
  const child = spawn(process.execPath, [resolve(WORKSPACE_ROOT, `dist/apps/${app}/main.js`)], {
    cwd: WORKSPACE_ROOT,
    env: { ...testDefaults(app), LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode} during start:\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${app} did not answer /healthz within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    baseUrl,
    child,
    output: () => output,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Runs an app to completion, e.g. to check that bad configuration stops it. */
export function runAppToExit(app: AppName, env: Record<string, string>, timeoutMs = 15_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [resolve(WORKSPACE_ROOT, `dist/apps/${app}/main.js`)], {
      cwd: WORKSPACE_ROOT,
      env: { ...testDefaults(app), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

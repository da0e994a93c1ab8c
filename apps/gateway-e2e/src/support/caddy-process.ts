import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, within } from '@sg/testing';

const WORKSPACE_ROOT = resolve(__dirname, '../../../..');
/** The shipped file, loaded as is: only its {$ENV} placeholders differ from compose. */
export const SHIPPED_CADDYFILE = resolve(WORKSPACE_ROOT, 'infra/caddy/Caddyfile');

export interface CaddyProcess {
  readonly port: number;
  wsUrl(query: string): string;
  /** What Caddy wrote to stdout: the access log of the shipped Caddyfile. */
  accessLog(): string;
  /** What Caddy wrote to stderr: its own log (start-up, errors). */
  serverLog(): string;
  stop(): Promise<void>;
}

/** `caddy version`, or null when no caddy is on the PATH. */
export function installedCaddyVersion(): string | null {
  const result = spawnSync('caddy', ['version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/**
 * Runs `caddy run` with the shipped Caddyfile in front of `upstreams` (host:port), on a free
 * loopback port with its admin API off and its state in a temporary directory, and waits
 * until its /healthz answers. Nothing leaves the machine: the file has `auto_https off`.
 */
export async function startCaddy(upstreams: string[], timeoutMs = 15_000): Promise<CaddyProcess> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'caddy-e2e-'));
  const accessLogPath = join(directory, 'access.log');
  const serverLogPath = join(directory, 'caddy.log');
  const stdout = openSync(accessLogPath, 'a');
  const stderr = openSync(serverLogPath, 'a');
  const child: ChildProcess = spawn('caddy', ['run', '--config', SHIPPED_CADDYFILE, '--adapter', 'caddyfile'], {
    cwd: directory,
    env: {
      PATH: process.env['PATH'] ?? '',
      // Caddy keeps its autosave and data under these; keep them out of the user's home
      HOME: directory,
      XDG_CONFIG_HOME: join(directory, 'config'),
      XDG_DATA_HOME: join(directory, 'data'),
      GATEWAY_UPSTREAMS: upstreams.join(' '),
      CADDY_BIND: '127.0.0.1',
      CADDY_HTTP_PORT: String(port),
      CADDY_ADMIN: 'off',
    },
    stdio: ['ignore', stdout, stderr],
  });
  closeSync(stdout);
  closeSync(stderr);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const read = (path: string) => readFileSync(path, 'utf8');
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`caddy exited with ${child.exitCode} during start:\n${read(serverLogPath)}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`caddy did not answer /healthz within ${timeoutMs} ms:\n${read(serverLogPath)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    wsUrl: (query) => `ws://127.0.0.1:${port}/ws?${query}`,
    accessLog: () => read(accessLogPath),
    serverLog: () => read(serverLogPath),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        // Caddy waits for open connections on SIGTERM; a test that left one open should not hang
        if ((await within(exited, 5_000)) === null) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

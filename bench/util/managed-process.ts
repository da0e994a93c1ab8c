import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinnedCommand } from './pinning';

/** A server process started by the bench, pinned to one core, logging to a file. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Last lines of the log, for error messages. */
  logTail(lines?: number): string;
  /** How it ended, e.g. "exit code 1" or "signal SIGKILL"; undefined while it runs. */
  exitStatus(): string | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  readonly exited: Promise<void>;
}

export interface StartOptions {
  readonly name: string;
  readonly core: number;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** Spawns a process pinned to a core; stdout and stderr go to a log file in the temp dir. */
export function startProcess(options: StartOptions): ManagedProcess {
  const [command, args] = pinnedCommand(options.core, options.command, options.args);
  const logFile = join(tmpdir(), `relay-bench-${options.name}-${process.pid}.log`);
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let stopping = false;
  const exitStatus = () => {
    if (child.signalCode !== null) return `signal ${child.signalCode}${stopping ? ' (stopped by the bench)' : ''}`;
    if (child.exitCode !== null) return `exit code ${child.exitCode}${stopping ? ' (stopped by the bench)' : ''}`;
    return undefined;
  };
  const logTail = (lines = 20) => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  return {
    name: options.name,
    pid: child.pid,
    logFile,
    logTail,
    exited,
    exitStatus,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once `host:port` accepts TCP connections. */
export async function waitForPort(proc: ManagedProcess, port: number, timeoutMs = 15_000): Promise<void> {
  await poll(proc, timeoutMs, `port ${port}`, () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    }),
  );
}

/** Resolves once `GET url` answers 200. */
export async function waitForHttp200(proc: ManagedProcess, url: string, timeoutMs = 30_000): Promise<void> {
  await poll(proc, timeoutMs, url, () =>
    new Promise<boolean>((resolve) => {
      const request = get(url, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.setTimeout(1000, () => request.destroy());
      request.once('error', () => resolve(false));
    }),
  );
}

async function poll(proc: ManagedProcess, timeoutMs: number, what: string, probe: () => Promise<boolean>): Promise<void> {
  let dead = false;
  void proc.exited.then(() => (dead = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (dead) throw new Error(`${proc.name} exited before ${what} was ready:\n${proc.logTail()}`);
    if (Date.now() > deadline) throw new Error(`${proc.name}: ${what} not ready within ${timeoutMs} ms:\n${proc.logTail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

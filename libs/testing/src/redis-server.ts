import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port';

export interface ThrowawayRedis {
  readonly url: string;
  readonly port: number;
  /** Kills the server (SIGKILL); with persistence, what was written is kept on disk. */
  stop(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered, as from a Redis stuck on a slow command. */
  pause(): void;
  /** Lets a paused server go on (SIGCONT); it answers what was sent meanwhile. */
  resume(): void;
}

/**
 * Starts a private `redis-server` on a free loopback port, persisting nothing unless
 * `persistDir` is given (then every write goes to an append-only file there, so a
 * restart on the same port and directory comes back with the data, like a production
 * Redis with persistence). With `password`, it requires that password (`requirepass`) and
 * `url` carries it. Tests never share the machine's Redis: they pass on any machine with the binary.
 */
export async function startRedisServer(options: { port?: number; persistDir?: string; password?: string } = {}): Promise<ThrowawayRedis> {
  const binary = process.env['REDIS_SERVER_BIN'] ?? 'redis-server';
  if (spawnSync(binary, ['--version']).error) {
    throw new Error(`${binary} is not installed: install it (Debian: apt-get install -y redis-server) to run these tests`);
  }
  // a given port restarts "the same" Redis, empty, as after a crash without persistence
  const port = options.port ?? (await freePort());
  const persistence = options.persistDir ? ['--dir', options.persistDir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child: ChildProcess = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, ...(options.password ? ['--requirepass', options.password] : []), '--protected-mode', 'yes', '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(port, 5_000);
  return {
    url: options.password ? `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    port,
    pause: () => {
      child.kill('SIGSTOP');
    },
    resume: () => {
      child.kill('SIGCONT');
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

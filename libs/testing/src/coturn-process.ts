import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface ThrowawayTurnServer {
  /** TURN over UDP and over TCP on the same port, for `TURN_URLS`. */
  readonly urls: { udp: string; tcp: string };
  readonly secret: string;
  readonly port: number;
  /** Stops the server (SIGKILL: a TURN server that dies, as in an outage); `start()` brings it back on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

/**
 * Debian's coturn (`turnserver`) on 127.0.0.1 with the TURN REST scheme (`use-auth-secret`),
 * the time-limited credentials the gateway hands out with `TURN_SECRET`. Loopback peers are
 * allowed (everything in a test is on loopback), nothing else is reachable: no TLS/DTLS
 * listeners, no CLI, relay ports from a small range.
 */
export async function startTurnServer(secret: string): Promise<ThrowawayTurnServer> {
  const port = await freePort();
  const relayPorts = await relayPortRange();
  const directory = mkdtempSync(join(tmpdir(), 'coturn-'));
  let child: ChildProcess | null = null;
  let output = '';

  const start = async (): Promise<void> => {
    const args = [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--min-port=${relayPorts[0]}`,
      `--max-port=${relayPorts[1]}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=signaling.test',
      '--allow-loopback-peers',
      '--no-multicast-peers',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--fingerprint',
      `--pidfile=${join(directory, 'turnserver.pid')}`,
      '--log-file=stdout',
      '--simple-log',
    ];
    const started = spawn('turnserver', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const spawnError = new Promise<Error>((resolve) => started.once('error', resolve));
    const deadline = Date.now() + 10_000;
    // its TCP listener accepting is the sign it is up (UDP and TCP listeners open together)
    while (!(await acceptsTcp(port))) {
      const failed = await Promise.race([spawnError, new Promise<null>((resolve) => setTimeout(() => resolve(null), 50))]);
      if (failed) throw new Error(`turnserver could not start (is Debian's coturn installed?): ${failed.message}`);
      if (started.exitCode !== null) throw new Error(`turnserver exited with ${started.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`turnserver did not listen on 127.0.0.1:${port} within 10 s:\n${output}`);
    }
  };

  const kill = async (): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    urls: { udp: `turn:127.0.0.1:${port}?transport=udp`, tcp: `turn:127.0.0.1:${port}?transport=tcp` },
    secret,
    port,
    kill,
    start: async () => {
      await kill();
      output = '';
      await start();
    },
    stop: async () => {
      await kill();
      rmSync(directory, { recursive: true, force: true });
    },
    output: () => output,
  };
}

function acceptsTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Twenty consecutive free ports for relay allocations, tried from a random base. */
async function relayPortRange(): Promise<[number, number]> {
  const base = await freePort();
  const low = Math.min(base, 65_000);
  return [low, low + 20];
}

import { freePort } from '../../libs/testing/src/free-port';
import { ManagedProcess, startProcess, waitForPort } from './managed-process';

/** A throwaway redis-server: loopback only, persists nothing. */
export interface BenchRedis {
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
}

export async function startRedis(core: number): Promise<BenchRedis> {
  const port = await freePort();
  const proc = startProcess({
    name: `redis-${port}`,
    core,
    command: process.env['REDIS_SERVER_BIN'] ?? 'redis-server',
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
  });
  await waitForPort(proc, port);
  return { url: `redis://127.0.0.1:${port}`, port, process: proc };
}

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, testRedisEnv } from '@sg/testing';

const GATEWAY = resolve(__dirname, '../../../dist/apps/gateway/main.js');
const WARNING = /"level":40,.*"msg":"MAX_CONNECTIONS=1000 is above the \d+ WebSockets that the open-files limit of (\d+) leaves room for/;
/** The check's line when the limit is enough, at debug. */
const ROOM_ENOUGH = /"level":20,.*"msg":"the open-files limit of (\d+) leaves room for MAX_CONNECTIONS=1000"/;

/**
 * The built gateway under `ulimit -n <openFiles>` (soft and hard, so Node's raise at start
 * changes nothing), at LOG_LEVEL=debug, stopped with SIGTERM once the check has logged its
 * outcome (after listening; a warning, or its debug line); resolves with all it wrote.
 */
async function gatewayOutputUnder(openFiles: number, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawn('bash', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, process.execPath, GATEWAY], {
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port), PROBE_ICE_ADDRESS: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'debug', ...testRedisEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    // the check runs once the app listens and always logs: a fixed wait would race a slow start
    if (WARNING.test(output) || ROOM_ENOUGH.test(output)) setImmediate(() => child.kill('SIGTERM'));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await exited;
  return output;
}

// docs/operations.md, "File descriptors and connection limits"
describe('the open-files limit at start-up', () => {
  it('warns when MAX_CONNECTIONS is above what the limit leaves for WebSockets, naming both and the fix', async () => {
    const output = await gatewayOutputUnder(300, { NODE_ID: 'open-files-low', MAX_CONNECTIONS: '1000' });

    expect(output).toContain('"msg":"listening on ');
    expect(WARNING.exec(output)?.[1]).toBe('300');
    expect(output).toContain('nofile limit (docs/operations.md, \\"File descriptors and connection limits\\")');
  });

  it('does not warn when the limit leaves room for MAX_CONNECTIONS, and says the check ran', async () => {
    const output = await gatewayOutputUnder(2_000, { NODE_ID: 'open-files-enough', MAX_CONNECTIONS: '1000' });

    expect(output).toContain('"msg":"listening on ');
    expect(ROOM_ENOUGH.exec(output)?.[1]).toBe('2000');
    expect(output).not.toMatch(WARNING);
  });
});

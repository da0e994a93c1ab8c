import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

/**
 * A Nest app with PlatformLoggerModule and one route, served two requests (a route and a 404),
 * then asked whether async hooks are on: with them on, every new Promise carries the hooks'
 * symbol properties. In a process of its own, because turning them on lasts for the process
 * (any other test in this worker could have done it).
 */
const APP = `
const { NestFactory } = require('@nestjs/core');
const common = require('@nestjs/common');
const { PlatformLoggerModule } = require(process.env.LOGGER_MODULE);
class Ping { get() { return 'ok'; } }
common.Get()(Ping.prototype, 'get', Object.getOwnPropertyDescriptor(Ping.prototype, 'get'));
common.Controller('ping')(Ping);
class AppModule {}
const options = { level: 'info', format: 'json', app: 'spec', nodeId: 'n1' };
if (process.env.REQUEST_CONTEXT !== 'default') options.requestContext = process.env.REQUEST_CONTEXT === 'on';
common.Module({ imports: [PlatformLoggerModule.forRoot(options)], controllers: [Ping] })(AppModule);
(async () => {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const statuses = [(await fetch(url + '/ping')).status, (await fetch(url + '/nowhere')).status];
  const asyncHooksOn = Object.getOwnPropertySymbols(Promise.resolve()).length > 0;
  await app.close();
  process.stdout.write('RESULT ' + JSON.stringify({ statuses, asyncHooksOn }) + '\\n');
})();
`;

function serveTwoRequests(requestContext: 'on' | 'off' | 'default'): { statuses: number[]; asyncHooksOn: boolean; requestLines: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', '-e', APP], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOGGER_MODULE: resolve(__dirname, 'platform-logger.module.ts'), REQUEST_CONTEXT: requestContext },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const result = output.split('\n').find((line) => line.startsWith('RESULT '));
  if (!result) throw new Error(`no result from the app:\n${output}`);
  return { ...JSON.parse(result.slice('RESULT '.length)), requestLines: output.split('\n').filter((line) => line.includes('"request completed"')).length };
}

describe('PlatformLoggerModule', () => {
  it('by default logs each request, which turns async hooks on for the process', () => {
    const served = serveTwoRequests('default');
    expect(served.statuses).toEqual([200, 404]);
    expect(served.requestLines).toBe(2);
    expect(served.asyncHooksOn).toBe(true);
  }, 60_000);

  it('with requestContext: false logs no request and leaves async hooks off', () => {
    const served = serveTwoRequests('off');
    expect(served.statuses).toEqual([200, 404]);
    expect(served.requestLines).toBe(0);
    expect(served.asyncHooksOn).toBe(false);
  }, 60_000);

  it('with requestContext: true behaves as the default', () => {
    const served = serveTwoRequests('on');
    expect(served.requestLines).toBe(2);
    expect(served.asyncHooksOn).toBe(true);
  }, 60_000);
});

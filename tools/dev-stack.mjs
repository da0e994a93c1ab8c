// Starts the whole stack locally: Redis (a private redis-server when REDIS_URL
// is not set), the gateway, the indexer and admin-search with the embedded
// SQLite store. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(root, 'data');
mkdirSync(dataDir, { recursive: true });
const children = [];

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function run(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
    if (!stopping) stop(1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

for (const app of ['gateway', 'diagnostics-indexer', 'admin-search']) {
  if (!existsSync(resolve(root, `dist/apps/${app}/main.js`))) {
    console.error(`dist/apps/${app}/main.js is missing: run \`npm run build\` (or \`npm run dev\`, which builds first).`);
    process.exit(1);
  }
}

let redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  if (spawnSync('redis-server', ['--version']).error) {
    console.error(
      'No Redis configured (REDIS_URL is not set) and redis-server is not installed.\n' +
        'Either install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)\n' +
        'or point the stack at a running Redis: REDIS_URL=redis://host:6379 npm run dev',
    );
    process.exit(1);
  }
  const port = await freePort();
  run('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  redisUrl = `redis://127.0.0.1:${port}`;
  await new Promise((r) => setTimeout(r, 300));
  console.log(`started a private redis-server on ${redisUrl}`);
}

// a local admin key, generated once and kept out of the logs
const keyFile = resolve(dataDir, 'admin-api-key');
let adminApiKey = process.env.ADMIN_API_KEY;
if (!adminApiKey) {
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  adminApiKey = readFileSync(keyFile, 'utf8').trim();
}

// the apps' output comes through a pipe here: ask for readable lines when a person is watching
const logFormat = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
const common = { HOST: process.env.HOST ?? '127.0.0.1', REDIS_URL: redisUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', LOG_FORMAT: logFormat };
const store = { STORE: 'sqlite', SQLITE_PATH: process.env.SQLITE_PATH ?? resolve(dataDir, 'sessions.db') };
run('gateway', process.execPath, ['dist/apps/gateway/main.js'], { ...common, PORT: process.env.GATEWAY_PORT ?? '8080', NODE_ID: 'local-gateway-1' });
run('diagnostics-indexer', process.execPath, ['dist/apps/diagnostics-indexer/main.js'], { ...common, ...store, PORT: '8081' });
run('admin-search', process.execPath, ['dist/apps/admin-search/main.js'], { ...common, ...store, PORT: '8082', ADMIN_API_KEY: adminApiKey });

console.log(
  [
    '',
    'Signaling gateway  ws://127.0.0.1:8080/ws?room=ROOM',
    'Connectivity test  http://127.0.0.1:8080/connectivity',
    'Indexer            http://127.0.0.1:8081/readyz',
    'Admin search       http://127.0.0.1:8082/ (admin API key in data/admin-api-key)',
    'Ctrl-C stops the stack.',
    '',
  ].join('\n'),
);

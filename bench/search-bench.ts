/**
 * Search benchmark (not a test): a million sessions in the SQLite store, then
 *
 * 1. the operator's typical lookups through `SqliteSessionStore.search` (the code behind the
 *    admin API), timed one after another. Targets (issue: admin search): a filtered, sorted
 *    search (state plus a time range, `created_at:desc`, limit 20) p99 < 25 ms; a facet query
 *    < 100 ms;
 * 2. the expensive shapes of issue 12 ("Session search that no request can break or freeze"),
 *    each p99 of 20 runs < 1 s: a 300-term OR on `candidate_types_a`, a 250-term `!=` chain, an
 *    IN of 1,000 rooms, facets over all sessions (and two scalar chains for comparison);
 * 3. `/healthz` of the built admin-search (`dist/apps/admin-search/main.js`, its search worker
 *    pool on the same file) while 4 of those shapes run at once, p99 < 100 ms.
 *
 *   npx tsx bench/search-bench.ts                 # 1,000,000 sessions, data kept in tmp/bench
 *   npx tsx bench/search-bench.ts --sessions=200000 --queries=300 --runs=20
 *   npx tsx bench/search-bench.ts --only=facets   # only the lines whose name has 'facets'
 *   npx tsx bench/search-bench.ts --no-healthz    # without part 3 (needs no build nor redis-server)
 *
 * The data file is reused when it already holds the requested number of sessions (a file an
 * older version wrote is migrated when the store opens it, and the time that took is printed).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodeId, PeerId, RoomId, SessionDocument, SessionFilterableField } from '@sg/schema';
import { DEFAULT_SESSION_SORT, parseSessionFilter, SessionSearchQuery, SessionSort, StoredSession } from '@sg/session';
import { SqliteSessionStore } from '@sg/store';
import { startApp, type AppProcess } from '../libs/testing/src/app-process';
import { startRedisServer, type ThrowawayRedis } from '../libs/testing/src/redis-server';
import { sessionTemplate } from '../libs/testing/src/seed-sqlite-sessions';
import { percentile } from './util/stats';

const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]));
const SESSIONS = Number(args.get('sessions') ?? 1_000_000);
const QUERIES = Number(args.get('queries') ?? 200);
/** Runs per expensive shape (part 2), and rounds of 4 at once (part 3). */
const RUNS = Number(args.get('runs') ?? 20);
const HEALTHZ = !args.has('no-healthz');
/** Only the lines whose name contains this. */
const ONLY = args.get('only');
const DAYS = 7;
const END = Date.UTC(2026, 10, 30) / 1000;
const START = END - DAYS * 86_400;

/** Realistic shares: most calls connect and close, a tenth fail, for the reasons of PROTOCOL section 2. */
const OUTCOMES: Array<[weight: number, state: SessionDocument['connection_state'], reason: SessionDocument['failure_reason']]> = [
  [70, 'closed', null],
  [8, 'connected', null],
  [3, 'new', null],
  [2, 'connecting', null],
  [4, 'failed', 'no-answer'],
  [3, 'failed', 'ice-timeout'],
  [4, 'failed', 'ice-failed'],
  [3, 'failed', 'peer-left-before-connected'],
  [1, 'failed', 'node-lost'],
  [2, 'failed', 'client-reported'],
];
const TOTAL_WEIGHT = OUTCOMES.reduce((sum, [weight]) => sum + weight, 0);
const CANDIDATES = [['host'], ['host', 'srflx'], ['host', 'srflx', 'relay'], ['relay'], ['host', 'mdns'], ['host', 'srflx', 'tcp']];

/** A deterministic pseudo-random sequence, so runs compare. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(store: SqliteSessionStore): void {
  const next = random(1);
  const { fold, document: template } = sessionTemplate(START);
  const batch: StoredSession[] = [];
  const started = performance.now();
  for (let i = 0; i < SESSIONS; i++) {
    let pick = next() * TOTAL_WEIGHT;
    const outcome = OUTCOMES.find(([weight]) => (pick -= weight) < 0) ?? OUTCOMES[0];
    const [, state, reason] = outcome;
    const created = START + (i / SESSIONS) * DAYS * 86_400;
    const ended = state === 'closed' || state === 'failed' ? created + 5 + next() * 600 : null;
    const connected = state === 'closed' || state === 'connected';
    const user = (n: number) => (next() < 0.8 ? `user-${Math.floor(n * 20_000)}@example.com` : null);
    const document: SessionDocument = {
      ...template,
      session_id: `s${i.toString(36).padStart(8, '0')}` as SessionDocument['session_id'],
      room_id: `room-${Math.floor(next() * 50_000)}` as RoomId,
      created_at: created,
      updated_at: ended ?? created + 1,
      ended_at: ended,
      client_a_id: `pa-${i}` as PeerId,
      client_b_id: `pb-${i}` as PeerId,
      client_a_user: user(next()),
      client_b_user: user(next()),
      client_a_remote_addr: `198.51.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}:${40_000 + Math.floor(next() * 20_000)}`,
      client_b_remote_addr: `203.0.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}:${40_000 + Math.floor(next() * 20_000)}`,
      client_a_node: `gw-${Math.floor(next() * 4)}` as NodeId,
      client_b_node: `gw-${Math.floor(next() * 4)}` as NodeId,
      connection_state: state,
      failure_reason: reason,
      failure_detail: reason === 'client-reported' ? 'camera permission denied' : null,
      time_to_answer_ms: state === 'new' ? null : 200 + next() * 800,
      time_to_connected_ms: connected ? 400 + next() * 2_000 : null,
      duration_ms: ended !== null && connected ? (ended - created) * 1000 : null,
      candidate_types_a: CANDIDATES[Math.floor(next() * CANDIDATES.length)],
      candidate_types_b: CANDIDATES[Math.floor(next() * CANDIDATES.length)],
      relay_used: connected ? next() < 0.15 : null,
      rtt_ms: connected ? 10 + next() * 200 : null,
    };
    batch.push({ document, fold });
    if (batch.length === 5_000) {
      void store.write(batch.splice(0));
      if ((i + 1) % 100_000 === 0) process.stdout.write(`  generated ${i + 1} sessions (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  }
  void store.write(batch);
  // no ANALYZE: the store never runs it (with statistics SQLite's planner prefers skip-scans of
  // the state and reason indexes over the covering time index for facet counts, 2 to 3 times
  // slower), so the benchmark measures what production runs
}

function query(input: { filter?: string; sort?: SessionSort[]; facets?: SessionFilterableField[]; q?: string; limit?: number }): SessionSearchQuery {
  const parsed = parseSessionFilter(input.filter);
  if (!parsed.ok) throw new Error(parsed.error);
  return { q: input.q ?? '', filter: parsed.ast, sort: input.sort ?? DEFAULT_SESSION_SORT, limit: input.limit ?? 20, offset: 0, facets: input.facets ?? [] };
}

async function measure(
  name: string,
  target: string,
  make: (next: () => number) => SessionSearchQuery,
  store: SqliteSessionStore,
  { warmup = 20, runs = QUERIES }: { warmup?: number; runs?: number } = {},
): Promise<void> {
  if (ONLY !== undefined && !name.includes(ONLY)) return;
  const next = random(name.length * 7919);
  // warm the page cache and the statement paths first
  for (let i = 0; i < warmup; i++) await store.search(make(next));
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < runs; i++) {
    const q = make(next);
    const started = performance.now();
    const result = await store.search(q);
    times.push(performance.now() - started);
    hits += result.estimatedTotalHits;
  }
  times.sort((x, y) => x - y);
  const row = [name.padEnd(58), percentile(times, 50).toFixed(2).padStart(8), percentile(times, 99).toFixed(2).padStart(8), times[times.length - 1].toFixed(2).padStart(8), String(Math.round(hits / runs)).padStart(9), target.padStart(10)];
  process.stdout.write(`${row.join(' ')}\n`);
}

/** A search as the admin API takes it (PROTOCOL section 3). */
interface SearchBody {
  filter?: string;
  facets?: SessionFilterableField[];
  limit?: number;
}

/** `count` values no session holds, with `real` ones among them at random places. */
function values(count: number, real: readonly string[], next: () => number): string[] {
  const list = Array.from({ length: count - real.length }, () => `x${Math.floor(next() * 1e9).toString(36)}`);
  for (const value of real) list.splice(Math.floor(next() * (list.length + 1)), 0, value);
  return list;
}

/**
 * The expensive shapes of issue 12, each new on every run (other values, other rooms). The
 * first four are its targets, and what part 3 runs 4 at once.
 */
const SHAPES: ReadonlyArray<{ name: string; target: boolean; body: (next: () => number) => SearchBody }> = [
  // a third of all sessions have relay among A's candidates
  { name: '300-term OR on candidate_types_a', target: true, body: (next) => ({ filter: values(300, ['relay', 'prflx'], next).map((value) => `candidate_types_a = ${value}`).join(' OR ') }) },
  // half of all sessions have no srflx
  { name: '250-term != chain on candidate_types_a', target: true, body: (next) => ({ filter: values(250, ['srflx'], next).map((value) => `candidate_types_a != ${value}`).join(' AND ') }) },
  {
    name: 'IN of 1,000 rooms',
    target: true,
    body: (next) => ({ filter: `room_id IN [${Array.from({ length: 1_000 }, () => `room-${Math.floor(next() * 50_000)}`).join(', ')}]` }),
  },
  // the operator page's facets with nothing set
  { name: 'facets over all sessions (state, reason, room)', target: true, body: () => ({ facets: ['connection_state', 'failure_reason', 'room_id'] }) },
  { name: '250-term != chain on room_id', target: false, body: (next) => ({ filter: values(250, [], next).map((value, i) => `room_id != ${i % 2 ? value : `room-${Math.floor(next() * 50_000)}`}`).join(' AND ') }) },
  // client_a_node has no index: one facet-key call per session
  { name: '300-term OR on client_a_node (no index)', target: false, body: (next) => ({ filter: values(300, ['gw-1'], next).map((value) => `client_a_node = ${value}`).join(' OR ') }) },
];

function searchQuery(body: SearchBody): SessionSearchQuery {
  return query({ filter: body.filter, facets: body.facets, limit: body.limit });
}

const ADMIN_API_KEY = 'search-bench-admin-key-0123456789';

/**
 * Part 3: the built admin-search on the same file (its default search settings: 4 workers,
 * 5 s timeout), the four target shapes posted at once, RUNS rounds, while a client asks
 * /healthz every 10 ms.
 */
async function healthzWhileSearching(path: string): Promise<void> {
  const main = resolve(__dirname, '../dist/apps/admin-search/main.js');
  if (!existsSync(main)) {
    process.stdout.write(`\n/healthz under load: skipped, ${main} is not built (npm run build, or node tools/build-app.mjs admin-search)\n`);
    return;
  }
  let redis: ThrowawayRedis | null = null;
  let app: AppProcess | null = null;
  try {
    redis = await startRedisServer();
    app = await startApp('admin-search', { REDIS_URL: redis.url, SQLITE_PATH: path, ADMIN_API_KEY }, 120_000);
    const baseUrl = app.baseUrl;
    for (let tries = 0; (await fetch(`${baseUrl}/readyz`)).status !== 200; tries++) {
      if (tries > 600) throw new Error(`admin-search never ready:\n${app.output()}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    const shapes = SHAPES.filter((shape) => shape.target);
    const next = random(12);
    const statuses = new Map<number, number>();
    const post = async (body: SearchBody): Promise<number> => {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/api/sessions/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      return performance.now() - started;
    };
    // one unmeasured round: the workers' statements and the page cache
    await Promise.all(shapes.map((shape) => post(shape.body(next))));
    statuses.clear();
    let probing = true;
    const probes: number[] = [];
    let probeFailures = 0;
    const prober = (async () => {
      while (probing) {
        const started = performance.now();
        const response = await fetch(`${baseUrl}/healthz`);
        await response.arrayBuffer();
        probes.push(performance.now() - started);
        if (response.status !== 200) probeFailures++;
        await new Promise((resolveWait) => setTimeout(resolveWait, 10));
      }
    })();
    const perShape = shapes.map((): number[] => []);
    const started = performance.now();
    for (let round = 0; round < RUNS; round++) {
      const times = await Promise.all(shapes.map((shape) => post(shape.body(next))));
      times.forEach((time, i) => perShape[i].push(time));
    }
    const seconds = (performance.now() - started) / 1000;
    probing = false;
    await prober;
    probes.sort((x, y) => x - y);
    process.stdout.write(`\n/healthz of admin-search while the ${shapes.length} shapes above run at once, ${RUNS} rounds in ${seconds.toFixed(1)} s (ms)\n`);
    process.stdout.write(`  /healthz: ${probes.length} probes, p50 ${percentile(probes, 50).toFixed(2)}, p99 ${percentile(probes, 99).toFixed(2)}, max ${probes[probes.length - 1].toFixed(2)}, not 200: ${probeFailures}   target p99 < 100\n`);
    shapes.forEach((shape, i) => {
      const times = perShape[i].sort((x, y) => x - y);
      process.stdout.write(`  ${shape.name.padEnd(56)} end to end p50 ${percentile(times, 50).toFixed(0).padStart(6)}, p99 ${percentile(times, 99).toFixed(0).padStart(6)}\n`);
    });
    process.stdout.write(`  answers: ${[...statuses].map(([status, n]) => `${n} x ${status}`).join(', ')}\n`);
  } finally {
    await app?.stop();
    await redis?.stop();
  }
}

async function main(): Promise<void> {
  const directory = resolve(__dirname, '../tmp/bench');
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `sessions-${SESSIONS}.db`);
  const opening = performance.now();
  let store = new SqliteSessionStore({ path });
  const openedIn = performance.now() - opening;
  // more than a moment: the file was written by an older version and has just been migrated
  if (openedIn > 1_000) process.stdout.write(`opened ${path} in ${(openedIn / 1000).toFixed(1)} s (migrated)\n`);
  const count = store.db.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
  if (count !== SESSIONS) {
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
    store = new SqliteSessionStore({ path });
    process.stdout.write(`generating ${SESSIONS} sessions into ${path}\n`);
    const started = performance.now();
    generate(store);
    process.stdout.write(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(`\nsearch benchmark: ${SESSIONS} sessions over ${DAYS} days, ${QUERIES} queries per line, one at a time (ms)\n`);
  process.stdout.write(`${['query'.padEnd(58), 'p50'.padStart(8), 'p99'.padStart(8), 'max'.padStart(8), 'avg hits'.padStart(9), 'target'.padStart(10)].join(' ')}\n`);
  const states = ['failed', 'closed', 'connected', 'new'];
  const window = (next: () => number, hours: number) => {
    const from = START + next() * (DAYS * 86_400 - hours * 3_600);
    return `created_at ${from.toFixed(0)} TO ${(from + hours * 3_600).toFixed(0)}`;
  };
  await measure('state + 24 h range, created_at:desc, limit 20', 'p99 < 25', (next) => query({ filter: `connection_state = ${states[Math.floor(next() * states.length)]} AND ${window(next, 24)}` }), store);
  await measure('state + 1 h range, created_at:desc, limit 20', 'p99 < 25', (next) => query({ filter: `connection_state = ${states[Math.floor(next() * states.length)]} AND ${window(next, 1)}` }), store);
  await measure('reason = ice-failed, all time, created_at:desc', '', () => query({ filter: 'failure_reason = ice-failed' }), store);
  await measure('facets state + reason, 24 h range', '< 100', (next) => query({ filter: window(next, 24), facets: ['connection_state', 'failure_reason'] }), store);
  await measure('facets state + reason, all 7 days', '< 100', () => query({ facets: ['connection_state', 'failure_reason'] }), store);
  // what the operator page asks for: its facets are state, reason and room
  await measure('page: facets state + reason + room, 24 h range', '< 100', (next) => query({ filter: window(next, 24), facets: ['connection_state', 'failure_reason', 'room_id'] }), store);
  await measure('page: facets state + reason + room, all 7 days', '', () => query({ facets: ['connection_state', 'failure_reason', 'room_id'] }), store);
  await measure('room = x (one room), created_at:desc', '', (next) => query({ filter: `room_id = room-${Math.floor(next() * 50_000)}` }), store);
  await measure('user on either side', '', (next) => query({ filter: `client_a_user = "user-${Math.floor(next() * 20_000)}@example.com" OR client_b_user = "user-${Math.floor(next() * 20_000)}@example.com"` }), store);
  await measure('q = a user (full text)', '', (next) => query({ q: `user-${Math.floor(next() * 20_000)}@example.com` }), store);
  await measure('relay used, sorted by rtt_ms:desc', '', () => query({ filter: 'relay_used = true', sort: [{ field: 'rtt_ms', direction: 'desc' }] }), store);

  process.stdout.write(`\nexpensive shapes (issue 12), ${RUNS} runs each after one unmeasured, one at a time (ms)\n`);
  for (const shape of SHAPES) await measure(shape.name, shape.target ? 'p99 < 1000' : '', (next) => searchQuery(shape.body(next)), store, { warmup: 1, runs: RUNS });
  await store.close();
  if (HEALTHZ && ONLY === undefined) await healthzWhileSearching(path);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

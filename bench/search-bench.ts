/**
 * Search benchmark (not a test): a million sessions in the SQLite store, then the operator's
 * typical lookups through `SqliteSessionStore.search` (the code behind the admin API), timed
 * one after another. Targets (issue: admin search): a filtered, sorted search (state plus a
 * time range, `created_at:desc`, limit 20) p99 < 25 ms; a facet query < 100 ms.
 *
 *   npx tsx bench/search-bench.ts                 # 1,000,000 sessions, 200 queries a line, data kept in tmp/bench
 *   npx tsx bench/search-bench.ts --sessions=200000 --queries=300
 *   npx tsx bench/search-bench.ts --only=facets               # only the lines whose name has 'facets'
 *
 * The data file is reused when it already holds the requested number of sessions.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodeId, PeerId, RoomId, SessionDocument, SessionEvent, SessionFilterableField } from '@sg/schema';
import { DEFAULT_SESSION_SORT, foldSessionEvents, parseSessionFilter, PeerKey, PeerRecord, renderSessionDocument, SessionFold, SessionSearchQuery, SessionSort, StoredSession } from '@sg/session';
import { SqliteSessionStore } from '@sg/store';

const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]));
const SESSIONS = Number(args.get('sessions') ?? 1_000_000);
const QUERIES = Number(args.get('queries') ?? 200);
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

/** One real folded session, whose fold stands in (same size) for every generated row. */
function templateFold(): SessionFold {
  const room = 'bench-room' as RoomId;
  const [a, b] = ['peer-a' as PeerId, 'peer-b' as PeerId];
  const node = 'gw-1' as NodeId;
  const t = START * 1000;
  const events: SessionEvent[] = [
    { kind: 'peer-joined', t, room, node, peer: a, user: 'user-1', remoteAddr: '198.51.100.1:40000', userAgent: 'Mozilla/5.0 Chrome/131' },
    { kind: 'peer-joined', t, room, node, peer: b, user: 'user-2', remoteAddr: '203.0.113.1:50000', userAgent: 'Mozilla/5.0 Firefox/133' },
    { kind: 'signal', t: t + 10, room, node, signal: 'offer', from: a, to: b },
    { kind: 'signal', t: t + 300, room, node, signal: 'answer', from: b, to: a },
    ...Array.from({ length: 6 }, (_, i): SessionEvent => ({ kind: 'signal', t: t + 310 + i, room, node, signal: 'candidate', from: i % 2 ? a : b, to: i % 2 ? b : a, candidate: 'candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host' })),
    { kind: 'state', t: t + 900, room, node, peer: a, to: b, connectionState: 'connected' },
    { kind: 'stats', t: t + 5_000, room, node, peer: a, to: b, report: { rttMs: 40, packetLossPct: 0.1, jitterMs: 3, bitrateKbps: 900 } },
    { kind: 'peer-left', t: t + 60_000, room, node, peer: a, reason: 'bye' },
  ];
  const sessions = new Map<string, SessionFold>();
  foldSessionEvents(events.map((event, i) => ({ position: `${t}-0/${i}`, event })), new Map<PeerKey, PeerRecord>(), sessions as Map<never, SessionFold>);
  return [...sessions.values()][0];
}

function generate(store: SqliteSessionStore): void {
  const next = random(1);
  const fold = templateFold();
  const template = renderSessionDocument(fold);
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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(name: string, target: string, make: (next: () => number) => SessionSearchQuery, store: SqliteSessionStore): Promise<void> {
  if (ONLY !== undefined && !name.includes(ONLY)) return;
  const next = random(name.length * 7919);
  // warm the page cache and the statement paths first
  for (let i = 0; i < 20; i++) await store.search(make(next));
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < QUERIES; i++) {
    const q = make(next);
    const started = performance.now();
    const result = await store.search(q);
    times.push(performance.now() - started);
    hits += result.estimatedTotalHits;
  }
  times.sort((x, y) => x - y);
  const row = [name.padEnd(58), percentile(times, 50).toFixed(2).padStart(8), percentile(times, 99).toFixed(2).padStart(8), times[times.length - 1].toFixed(2).padStart(8), String(Math.round(hits / QUERIES)).padStart(9), target.padStart(10)];
  process.stdout.write(`${row.join(' ')}\n`);
}

async function main(): Promise<void> {
  const directory = resolve(__dirname, '../tmp/bench');
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `sessions-${SESSIONS}.db`);
  let store = new SqliteSessionStore({ path });
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
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

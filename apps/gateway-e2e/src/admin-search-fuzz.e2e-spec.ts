import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { SESSION_FILTERABLE_FIELDS, SESSION_SORTABLE_FIELDS } from '@sg/schema';
import { AppProcess, seedSqliteSessions, startApp } from '@sg/testing';

// PROTOCOL section 3 under hostile input: 10,000 random and mutated search bodies (deep nesting,
// huge arrays, control characters, every operator, random field names) against the built
// admin-search. Every answer is 200, 400, 413 or 503, never a 5xx of another kind, and the
// process stays up and keeps answering its probes.

const ADMIN_API_KEY = 'admin-search-fuzz-e2e-0123456789';
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_205);
const CLIENTS = 4;
const ALLOWED = new Set([200, 400, 413, 503]);

const FIELDS = [...Object.keys(SESSION_FILTERABLE_FIELDS), 'session_id', 'no_such_field', '_geo', '_geoRadius(1,2,3)', 'é', ''];
const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', ' TO ', ' IN ', ' NOT IN ', ' EXISTS', ' NOT EXISTS', ' IS NULL', ' IS NOT NULL', ' IS EMPTY', ' IS NOT EMPTY', ' CONTAINS ', ' STARTS WITH '];
const JOINERS = [' AND ', ' OR ', ' AND NOT ', ' ', ' and ', ',', ')', '('];
const NASTY = ['\u0000', '\u0007', '\u001b', '\u00a0', '\u2028', '\u3000', '\ud800', '\udfff', '"', "'", '\\', '[', ']', ',', '*', '(', ')', 'NOT', 'IN', 'TO', '9'.repeat(400), '-1e309', 'NaN', 'é'.repeat(300)];

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...NASTY),
  fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 8 }).map((parts) => parts),
);
const value = fc.oneof(fc.constantFrom('failed', 'closed', 'room-1', 'relay', 'host', 'true', '0', '1.5', '1e3', '""', '[]'), text.map((t) => JSON.stringify(t)), text);
const condition = fc
  .tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...OPERATORS), value, value, fc.array(value, { maxLength: 30 }))
  .map(([field, operator, left, right, list]) => {
    if (operator.includes('IN')) return `${field}${operator}[${list.join(', ')}]`;
    if (operator === ' TO ') return `${field} ${left} TO ${right}`;
    return `${field}${operator}${left}`;
  });
const expression = fc
  .array(fc.tuple(condition, fc.constantFrom(...JOINERS), fc.nat({ max: 3 })), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.map(([c, joiner, parens]) => `${'('.repeat(parens)}${c}${')'.repeat(parens)}${joiner}`).join(''));
/** Mutations of an expression: characters dropped, duplicated or replaced. */
const mutated = fc.tuple(expression, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), text), { maxLength: 4 })).map(([source, edits]) => {
  let out = source;
  for (const [at, kind, insert] of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    out = kind === 0 ? out.slice(0, i) + out.slice(i + 1) : kind === 1 ? out.slice(0, i) + insert + out.slice(i) : out.slice(0, i) + out.slice(i, i + 10).repeat(3) + out.slice(i + 10);
  }
  return out;
});
const manyTerms = fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(' OR ', ' AND '), fc.constantFrom('=', '!='), fc.integer({ min: 50, max: 1500 })).map(
  ([field, joiner, operator, n]) => Array.from({ length: n }, (_, i) => `${field} ${operator} v${i}`).join(joiner),
);
const deep = fc.tuple(fc.integer({ min: 30, max: 2000 }), fc.constantFrom('[', '{"a":'), fc.jsonValue({ maxDepth: 2 })).map(([depth, open, inner]) => ({ depth, open, inner }));
const filter = fc.oneof(
  expression,
  mutated,
  manyTerms,
  fc.array(fc.oneof(expression, fc.array(mutated, { maxLength: 4 }), fc.jsonValue({ maxDepth: 3 })), { maxLength: 6 }),
  fc.array(fc.constant('room_id = x'), { minLength: 1000, maxLength: 5000 }),
  fc.jsonValue({ maxDepth: 4 }),
);
const sort = fc.oneof(fc.array(fc.constantFrom(...SESSION_SORTABLE_FIELDS.map((f) => `${f}:asc`), 'created_at:desc', 'room_id:asc', 'x', ':', text), { maxLength: 7 }), fc.jsonValue({ maxDepth: 3 }));
const anyField = fc.oneof(fc.constantFrom('q', 'filter', 'sort', 'limit', 'offset', 'facets', '__proto__', 'constructor', 'hitsPerPage'), text);
const body = fc.oneof(
  fc.record(
    {
      q: fc.oneof(text, fc.string({ maxLength: 1200 }), fc.jsonValue({ maxDepth: 2 })),
      filter,
      sort,
      limit: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.jsonValue({ maxDepth: 1 })),
      offset: fc.oneof(fc.integer({ min: -5, max: 200_000 }), fc.jsonValue({ maxDepth: 1 })),
      facets: fc.oneof(fc.array(fc.constantFrom(...FIELDS), { maxLength: 25 }), fc.jsonValue({ maxDepth: 2 })),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(anyField, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
);
/** A request body as sent: JSON, a deeply nested JSON, a huge one, or broken text. */
const request = fc.oneof(
  { weight: 12, arbitrary: body.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('filter', 'sort', 'q', 'zz', '__proto__'), deep).map(([key, { depth, open, inner }]) => `{"${key}": ${open.repeat(depth)}${JSON.stringify(inner)}${(open === '[' ? ']' : '}').repeat(depth)}}`) },
  { weight: 1, arbitrary: fc.integer({ min: 900_000, max: 1_200_000 }).map((n) => JSON.stringify({ q: 'x', filter: 'a'.repeat(n) })) },
  { weight: 2, arbitrary: fc.tuple(body.map((b) => JSON.stringify(b)), fc.nat()).map(([json, cut]) => json.slice(0, cut % (json.length + 1))) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

describe('admin-search under hostile search bodies', () => {
  const directory = mkdtempSync(join(tmpdir(), 'admin-search-fuzz-'));
  let adminSearch: AppProcess;

  beforeAll(async () => {
    const path = join(directory, 'sessions.db');
    await seedSqliteSessions(path, 2_000);
    const url = process.env['TEST_REDIS_URL'];
    if (!url) throw new Error('TEST_REDIS_URL is not set');
    adminSearch = await startApp('admin-search', { REDIS_URL: `${url.replace(/\/\d*$/, '')}/10`, SQLITE_PATH: path, ADMIN_API_KEY, SEARCH_TIMEOUT_MS: '2000' });
  }, 60_000);

  afterAll(async () => {
    await adminSearch?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it(`answers ${RUNS} random and mutated bodies with 200, 400, 413 or 503 only, and stays up`, async () => {
    const bodies = fc.sample(request, { numRuns: RUNS, seed: SEED });
    const statuses = new Map<number, number>();
    const unexpected: Array<{ status: number; body: string; answer: string }> = [];
    let next = 0;
    const client = async () => {
      while (next < bodies.length) {
        const sent = bodies[next++];
        const response = await fetch(`${adminSearch.baseUrl}/api/sessions/search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_API_KEY}`, 'content-type': 'application/json' },
          body: sent,
        });
        const answer = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (!ALLOWED.has(response.status) && unexpected.length < 5) unexpected.push({ status: response.status, body: sent.slice(0, 300), answer: answer.slice(0, 300) });
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    expect(unexpected).toEqual([]);
    expect([...statuses.values()].reduce((sum, n) => sum + n, 0)).toBe(RUNS);
    // the mix reached both the store and the refusals
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 20);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 20);
    expect(adminSearch.child.exitCode).toBeNull();
    expect((await fetch(`${adminSearch.baseUrl}/healthz`)).status).toBe(200);
    process.stdout.write(`admin-search fuzz: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
  }, 900_000);
});

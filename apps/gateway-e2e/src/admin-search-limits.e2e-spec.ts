import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, parsePrometheusScrape, seedSqliteSessions, startApp, uniqueName } from '@sg/testing';

// PROTOCOL section 3 "Limits" against the built admin-search: input bounds answered 400/413
// naming the field, and a search past SEARCH_TIMEOUT_MS answered 503 while the probes answer.

const ADMIN_API_KEY = 'admin-search-limits-e2e-0123456789';
const auth = { authorization: `Bearer ${ADMIN_API_KEY}` };
const SESSIONS = 5_000;
const TIMEOUT_MS = 300;

/**
 * A filter no index serves: string ranges on `client_a_node`, each one a facet-key computation
 * per session. Over 5,000 sessions it takes seconds (measured: 16 s for 10,000), far past
 * TIMEOUT_MS on any machine.
 */
const SLOW_FILTER = Array.from({ length: 400 }, (_, i) => `client_a_node "m${i}" TO "m${i}z"`).join(' OR ');

function redisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set');
  return `${url.replace(/\/\d*$/, '')}/9`;
}

describe('admin-search limits', () => {
  const directory = mkdtempSync(join(tmpdir(), 'admin-search-limits-'));
  let adminSearch: AppProcess;

  const post = (body: string | object) =>
    fetch(`${adminSearch.baseUrl}/api/sessions/search`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const refusal = async (body: string | object) => {
    const response = await post(body);
    return { status: response.status, body: (await response.json()) as { statusCode: number; message: string; error: string } };
  };

  beforeAll(async () => {
    const path = join(directory, 'sessions.db');
    await seedSqliteSessions(path, SESSIONS);
    adminSearch = await startApp('admin-search', {
      REDIS_URL: redisUrl(),
      SQLITE_PATH: path,
      ADMIN_API_KEY,
      SEARCH_TIMEOUT_MS: String(TIMEOUT_MS),
      SEARCH_CONCURRENCY: '2',
      SEARCH_QUEUE_MAX: '1',
    });
    // ready once the search workers have opened the file
    for (let tries = 0; (await fetch(`${adminSearch.baseUrl}/readyz`)).status !== 200; tries++) {
      if (tries > 200) throw new Error(`admin-search never ready:\n${adminSearch.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 60_000);

  afterAll(async () => {
    await adminSearch?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('answers 413 over 1 MiB, and reads bodies up to it', async () => {
    const tooLarge = await refusal({ q: 'x', padding: 'p'.repeat(1024 * 1024) });
    expect(tooLarge).toEqual({ status: 413, body: { statusCode: 413, message: 'request body must be at most 1048576 bytes', error: 'Payload Too Large' } });
    // 900 KiB is read and then refused for its unknown field, not for its size
    const large = await refusal({ q: 'x', padding: 'p'.repeat(900 * 1024) });
    expect(large.status).toBe(400);
    expect(large.body.message).toContain('padding');
  });

  it('answers 413 over 1 MiB whatever the type of the body, chunked too, before acting', async () => {
    const tooLarge = { status: 413, body: { statusCode: 413, message: 'request body must be at most 1048576 bytes', error: 'Payload Too Large' } };
    const send = async (method: string, path: string, headers: Record<string, string>, body: RequestInit['body']) => {
      const response = await fetch(`${adminSearch.baseUrl}${path}`, { method, headers: { ...auth, ...headers }, body, duplex: 'half' } as RequestInit);
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const node = uniqueName('no-such-node');
    const overLimit = 'p'.repeat(1024 * 1024 + 1);
    expect(await send('POST', '/api/sessions/search', { 'content-type': 'text/plain' }, overLimit)).toEqual(tooLarge);
    expect(await send('POST', '/api/sessions/search', { 'content-type': 'application/octet-stream' }, Buffer.from(overLimit))).toEqual(tooLarge);
    // no length to go by: the body is counted as it comes
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 17; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x70));
        controller.close();
      },
    });
    expect(await send('POST', `/api/nodes/${node}/drain`, {}, chunks)).toEqual(tooLarge);
    // under the limit a body of another type is read and left out, as before
    const small = await send('POST', `/api/nodes/${node}/drain`, { 'content-type': 'text/plain' }, 'p'.repeat(1024));
    expect(small).toEqual({ status: 404, body: { statusCode: 404, message: `no gateway node ${node}`, error: 'Not Found' } });
    const actions = (await (await fetch(`${adminSearch.baseUrl}/api/actions?limit=100`, { headers: auth })).json()) as Array<{ target: string }>;
    expect(actions.filter((entry) => entry.target === node)).toHaveLength(1);
  });

  it.each(['filter', 'sort', 'colour'])('refuses JSON nested 1,500 levels inside %s with 400 naming it', async (field) => {
    const answer = await refusal(`{"${field}": ${'['.repeat(1500)}${']'.repeat(1500)}}`);
    expect(answer).toEqual({ status: 400, body: { statusCode: 400, message: `${field}: JSON nested deeper than 64 levels`, error: 'Bad Request' } });
    const objects = await refusal(`{"${field}": ${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}}`);
    expect(objects.body.message).toBe(`${field}: JSON nested deeper than 64 levels`);
  });

  it('counts the body as level 1: 64 levels are read, 65 are not', async () => {
    const at64 = await refusal(`{"filter": ${'['.repeat(63)}${']'.repeat(63)}}`);
    expect(at64.status).toBe(400);
    expect(at64.body.message).not.toContain('nested deeper');
    const at65 = await refusal(`{"filter": ${'['.repeat(64)}${']'.repeat(64)}}`);
    expect(at65.body.message).toBe('filter: JSON nested deeper than 64 levels');
  });

  it('takes any q up to 1 KiB, NUL and control characters included, and refuses a longer one naming q', async () => {
    for (const q of ['seed-1\u0000', '\u0000', '"unbalanced', 'NEAR(a b) OR *', '\u0007\u001b[31m', '\ud800', 'é'.repeat(512)]) {
      expect((await post({ q })).status).toBe(200);
    }
    const long = await refusal({ q: 'é'.repeat(513) });
    expect(long.status).toBe(400);
    expect(long.body.message).toContain('q must be at most 1024 bytes');
  });

  it('refuses a filter over 16 KiB, and one nested past Meilisearch’s depth limit, naming filter', async () => {
    const long = await refusal({ filter: Array.from({ length: 1200 }, (_, i) => `room_id = room-${i}`).join(' OR ') });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/^filter must be at most 16384 bytes/);
    const deep = await refusal({ filter: `${'('.repeat(60)}room_id = a${')'.repeat(60)}` });
    expect(deep.status).toBe(400);
    expect(deep.body.message).toMatch(/^filter: The filter exceeded the maximum depth limit/);
  });

  it('cancels searches past SEARCH_TIMEOUT_MS with 503, refuses more than the queue holds, and the probes answer throughout', async () => {
    let probing = true;
    const probeTimes: number[] = [];
    const probes = (async () => {
      while (probing) {
        for (const path of ['/healthz', '/readyz']) {
          const started = performance.now();
          const response = await fetch(`${adminSearch.baseUrl}${path}`);
          expect(response.status).toBe(200);
          probeTimes.push(performance.now() - started);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    // two run, one waits, and whichever arrives last finds the queue full
    const answers = await Promise.all([0, 1, 2, 3].map(() => refusal({ filter: SLOW_FILTER })));
    probing = false;
    await probes;
    const timedOut = { statusCode: 503, message: 'search timed out', error: 'Service Unavailable' };
    const queueFull = { statusCode: 503, message: 'too many searches at once: try again shortly', error: 'Service Unavailable' };
    expect(answers.map((answer) => answer.body).sort((x, y) => x.message.localeCompare(y.message))).toEqual([timedOut, timedOut, timedOut, queueFull]);
    // the searches would hold a single-threaded process for seconds: every probe answered in
    // well under that (PROTOCOL: 100 ms; the margin is for a shared test machine)
    expect(probeTimes.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...probeTimes)).toBeLessThan(250);

    // the cancelled workers are replaced: searches go on once a fresh worker has started (its
    // start-up can itself exceed a 300 ms budget on a busy machine, so a few tries are allowed)
    let after = await post({ filter: 'room_id = room-7', limit: 1 });
    for (let tries = 0; after.status === 503 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await post({ filter: 'room_id = room-7', limit: 1 });
    }
    expect(after.status).toBe(200);
    expect(((await after.json()) as { estimatedTotalHits: number }).estimatedTotalHits).toBe(SESSIONS / 500);
    const metrics = await (await fetch(`${adminSearch.baseUrl}/metrics`)).text();
    expect(parsePrometheusScrape(metrics).value('admin_search_timeouts_total', { app: 'admin-search' })).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/^admin_search_duration_seconds_count\{app="admin-search",outcome="rejected"\} 1$/m);
    expect(metrics).toMatch(/^admin_search_queue_depth\{app="admin-search"\} 0$/m);
  }, 30_000);
});

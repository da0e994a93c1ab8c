import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SESSION_SORT, SessionSearchCancelledError, type SessionSearchQuery } from '@sg/session';
import { storedSession } from '../../contract/session-store-fixtures';
import { SqliteSessionStore } from '../sqlite-session-store';
import { SqliteSearchPool, tsxSqliteSearchWorkerEntry } from './sqlite-search-pool';

const directory = mkdtempSync(join(tmpdir(), 'sqlite-search-pool-'));
const path = join(directory, 'sessions.db');
const T = Date.UTC(2026, 10, 1);
const everything: SessionSearchQuery = { q: '', filter: null, sort: DEFAULT_SESSION_SORT, limit: 5, offset: 0, facets: ['connection_state'] };

let writer: SqliteSessionStore;
let pool: SqliteSearchPool;

beforeAll(async () => {
  writer = new SqliteSessionStore({ path });
  await writer.write(Array.from({ length: 40 }, (_, i) => storedSession({ room: `room-${i % 4}`, a: `a${i}`, b: `b${i}`, at: T + i * 1000, outcome: i % 2 ? 'closed' : 'new' })));
  pool = new SqliteSearchPool({ path, size: 2, entry: tsxSqliteSearchWorkerEntry() });
  // the first search also waits for the workers to compile the sources
}, 60_000);

afterAll(async () => {
  await pool.close();
  await writer.close();
  rmSync(directory, { recursive: true, force: true });
});

describe(SqliteSearchPool.name, () => {
  it('answers as the store does on its own thread', async () => {
    const inWorker = await pool.run(everything);
    expect(inWorker).toEqual(await writer.search(everything));
    expect(inWorker.estimatedTotalHits).toBe(40);
  }, 60_000);

  it('sees what the writer commits after it started (read-only connection on the WAL file)', async () => {
    await writer.write([storedSession({ room: 'late', a: 'late-a', b: 'late-b', at: T + 100_000, outcome: 'new' })]);
    expect((await pool.run(everything)).estimatedTotalHits).toBe(41);
  }, 60_000);

  it('cancels a running search by ending its worker, and the pool goes on with a fresh one', async () => {
    const controller = new AbortController();
    // aborted right after it was posted to a worker: the worker is ended whatever it is doing
    const running = pool.run(everything, controller.signal);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(SessionSearchCancelledError);
    const answers = await Promise.all([pool.run(everything), pool.run(everything), pool.run(everything)]);
    for (const answer of answers) expect(answer.estimatedTotalHits).toBe(41);
  }, 60_000);

  it('refuses a search whose signal has already aborted, without running it', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(pool.run(everything, controller.signal)).rejects.toBeInstanceOf(SessionSearchCancelledError);
    expect(pool.queued).toBe(0);
  });

  it('drops a queued search whose signal aborts before a worker takes it', async () => {
    const controller = new AbortController();
    const busy = [pool.run(everything), pool.run(everything)];
    const queued = pool.run(everything, controller.signal);
    expect(pool.queued).toBe(1);
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(SessionSearchCancelledError);
    expect(pool.queued).toBe(0);
    await Promise.all(busy);
  }, 60_000);
});

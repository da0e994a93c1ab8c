import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSessionStore } from '../contract/describe-session-store';
import { storedSession } from '../contract/session-store-fixtures';
import { SqliteSessionStore } from './sqlite-session-store';

const directory = mkdtempSync(join(tmpdir(), 'sqlite-store-'));
let counter = 0;
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeSessionStore('SQLite', async () => {
  const store = new SqliteSessionStore({ path: join(directory, `sessions-${++counter}.db`) });
  await store.init();
  return store;
});

describe(SqliteSessionStore.name, () => {
  it('lets a second connection read what the first wrote (WAL, two processes share the file)', async () => {
    const path = join(directory, 'shared.db');
    const writer = new SqliteSessionStore({ path });
    const reader = new SqliteSessionStore({ path });
    const session = storedSession({ room: 'r', a: 'a', b: 'b', at: Date.UTC(2026, 0, 1), outcome: 'closed' });
    await writer.write([session]);
    expect(await reader.get(session.document.session_id)).toEqual(session.document);
    expect(writer.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await writer.close();
    await reader.close();
  });

  it('reports the first 100 values of a many-valued facet in order, merging spellings of one key', async () => {
    const store = new SqliteSessionStore({ path: join(directory, 'facets.db') });
    const rooms = Array.from({ length: 150 }, (_, i) => `room-${String(i).padStart(3, '0')}`);
    await store.write(rooms.map((room, i) => storedSession({ room, a: `a${i}`, b: `b${i}`, at: Date.UTC(2026, 0, 1) + i, outcome: 'closed' })));
    await store.write([storedSession({ room: 'ROOM-000', a: 'upper-a', b: 'upper-b', at: Date.UTC(2026, 0, 2), outcome: 'new' })]);
    const result = await store.search({ q: '', filter: null, sort: [{ field: 'created_at', direction: 'desc' }], limit: 1, offset: 0, facets: ['room_id'] });
    const counts = result.facetDistribution?.['room_id'] ?? {};
    expect(Object.keys(counts)).toHaveLength(100);
    expect(counts['ROOM-000']).toBe(2);
    expect(counts['room-099']).toBe(1);
    expect(counts['room-100']).toBeUndefined();
    expect(result.estimatedTotalHits).toBe(151);
    await store.close();
  });

  it('keeps the full-text index in step with writes and deletes', async () => {
    const store = new SqliteSessionStore({ path: join(directory, 'fts.db') });
    const session = storedSession({ room: 'support-room', a: 'a1', b: 'b1', at: Date.UTC(2026, 0, 1), outcome: 'closed', userA: 'alice@example.com' });
    await store.write([session]);
    const match = (q: string) => store.db.prepare('SELECT count(*) AS n FROM sessions_fts WHERE sessions_fts MATCH ?').get(q) as { n: number };
    expect(match('"alice@example.com"').n).toBe(1);
    expect(match('"198.51.100.1"*').n).toBe(1);
    expect(match('Firefox').n).toBe(1);
    await store.deleteEndedBefore(Date.UTC(2027, 0, 1) / 1000);
    expect(match('"alice@example.com"').n).toBe(0);
    await store.close();
  });
});

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

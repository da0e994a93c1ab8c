import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SessionDocument } from '@sg/schema';
import { describeSessionStore } from '../contract/describe-session-store';
import { DEFAULT_SESSION_SORT, parseSessionFilter } from '@sg/session';
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

  it('brings a file an older version wrote up to date: kind, renegotiations and end_reason filled from each session', async () => {
    const path = join(directory, 'older.db');
    const older = new Database(path);
    older.exec(OLDER_TABLES);
    const at = Date.UTC(2026, 0, 1);
    const sessions = [
      storedSession({ room: 'r', a: 'bye', b: 'x1', at, outcome: 'closed' }),
      storedSession({ room: 'r', a: 'hung-up', b: 'probe', at: at + 1_000, outcome: 'hang-up' }),
      storedSession({ room: 'r', a: 'node-lost', b: 'x2', at: at + 2_000, outcome: 'node-lost' }),
      storedSession({ room: 'r', a: 'failed', b: 'x3', at: at + 3_000, outcome: 'ice-failed' }),
      storedSession({ room: 'r', a: 'live', b: 'x4', at: at + 4_000, outcome: 'connected' }),
    ];
    const insertRow = older.prepare(`INSERT INTO sessions VALUES (${Array.from({ length: 25 }, () => '?').join(', ')})`);
    const insertBody = older.prepare('INSERT INTO session_bodies VALUES (?, ?, ?)');
    for (const { document: d, fold } of sessions) {
      const { kind: _kind, renegotiations: _renegotiations, end_reason: _endReason, trace_id: _traceId, ...written } = d;
      insertRow.run(d.session_id, d.room_id, d.connection_state, d.failure_reason, d.failure_detail, d.created_at, d.updated_at, d.ended_at, d.client_a_id, d.client_b_id, d.client_a_user, d.client_b_user, d.client_a_remote_addr, d.client_b_remote_addr, d.client_a_user_agent, d.client_b_user_agent, d.client_a_node, d.client_b_node, d.relay_used === null ? null : Number(d.relay_used), d.ice_restarts, JSON.stringify(d.candidate_types_a), JSON.stringify(d.candidate_types_b), d.duration_ms, d.time_to_connected_ms, d.rtt_ms);
      insertBody.run(d.session_id, JSON.stringify(written), JSON.stringify(fold));
    }
    older.close();

    const store = new SqliteSessionStore({ path });
    const ids = async (filter: string) => {
      const parsed = parseSessionFilter(filter);
      if (!parsed.ok) throw new Error(parsed.error);
      return (await store.search({ q: '', filter: parsed.ast, sort: DEFAULT_SESSION_SORT, limit: 20, offset: 0, facets: [] })).hits.map((hit: SessionDocument) => hit.client_a_id);
    };
    expect(await ids('kind = probe')).toEqual(['hung-up']);
    expect(await ids('end_reason = bye')).toEqual(['hung-up', 'bye']);
    expect(await ids('end_reason = node-lost')).toEqual(['node-lost']);
    expect(await ids('end_reason = failed')).toEqual(['failed']);
    expect(await ids('end_reason IS NULL AND renegotiations = 0')).toEqual(['live']);
    // the stored documents got the fields too, with the values the current version renders
    for (const session of sessions) expect(await store.get(session.document.session_id)).toEqual(session.document);
    await store.close();
    // opening it again changes nothing
    const again = new SqliteSessionStore({ path });
    expect(await again.get(sessions[1].document.session_id)).toEqual(sessions[1].document);
    await again.close();
  });

  it('builds the candidate type sets and hourly facet counts of a file the previous version wrote', async () => {
    const path = join(directory, 'previous.db');
    const at = Date.UTC(2026, 0, 1);
    const writer = new SqliteSessionStore({ path });
    await writer.write([
      storedSession({ room: 'r', a: 'relay', b: 'x1', at, outcome: 'closed' }),
      storedSession({ room: 'r', a: 'host', b: 'x2', at: at + 3_600_000, outcome: 'connected', candidateB: 'candidate:1 1 tcp 1 192.0.2.1 9 typ host tcptype active' }),
      storedSession({ room: 'r', a: 'none', b: 'x3', at: at + 7_200_000, outcome: 'no-answer' }),
    ]);
    await writer.close();
    // as the previous version left it: no sets, no set ids, no hourly counts
    const previous = new Database(path);
    previous.exec(`
      DROP TRIGGER sessions_facet_hours_insert; DROP TRIGGER sessions_facet_hours_update; DROP TRIGGER sessions_facet_hours_delete;
      DROP TABLE session_facet_hours;
      DROP INDEX sessions_candidate_types_a_set_created_at; DROP INDEX sessions_candidate_types_b_set_created_at;
      ALTER TABLE sessions DROP COLUMN candidate_types_a_set; ALTER TABLE sessions DROP COLUMN candidate_types_b_set;
      DROP TABLE session_candidate_type_sets; DROP TABLE session_candidate_type_set_members;
    `);
    previous.close();

    const store = new SqliteSessionStore({ path });
    const search = async (filter: string) => {
      const parsed = parseSessionFilter(filter);
      if (!parsed.ok) throw new Error(parsed.error);
      return store.search({ q: '', filter: parsed.ast, sort: DEFAULT_SESSION_SORT, limit: 20, offset: 0, facets: ['connection_state', 'kind'] });
    };
    const ids = async (filter: string) => (await search(filter)).hits.map((hit: SessionDocument) => hit.client_a_id);
    expect(await ids('candidate_types_b = relay')).toEqual(['relay']);
    expect(await ids('candidate_types_b IN [TCP, srflx]')).toEqual(['host']);
    expect(await ids('candidate_types_b != host AND candidate_types_b != relay')).toEqual(['none']);
    expect((await search('')).facetDistribution).toEqual({ connection_state: { closed: 1, connected: 1, failed: 1 }, kind: { call: 3 } });
    expect((await search(`created_at >= ${at / 1000 + 3600}`)).facetDistribution).toEqual({ connection_state: { connected: 1, failed: 1 }, kind: { call: 2 } });
    expect(store.db.prepare("SELECT sum(n) FROM session_facet_hours WHERE field = 'connection_state'").pluck().get()).toBe(3);
    // and the writes keep them from then on
    await store.write([storedSession({ room: 'r', a: 'later', b: 'x4', at: at + 60_000, outcome: 'ice-failed' })]);
    expect((await search('')).facetDistribution).toEqual({ connection_state: { closed: 1, connected: 1, failed: 2 }, kind: { call: 4 } });
    expect(await ids('candidate_types_b = relay')).toEqual(['later', 'relay']);
    await store.close();
  });

  it('forgets a candidate type set added by a batch that rolled back, and adds it again with the next', async () => {
    const store = new SqliteSessionStore({ path: join(directory, 'rolled-back.db') });
    const at = Date.UTC(2026, 0, 1);
    const prflx = storedSession({ room: 'r', a: 'prflx', b: 'x1', at, outcome: 'closed', candidateB: 'candidate:1 1 udp 1 192.0.2.1 9 typ prflx' });
    const broken = storedSession({ room: 'r', a: 'broken', b: 'x2', at, outcome: 'closed' });
    const batch = [prflx, { ...broken, document: { ...broken.document, room_id: null } as unknown as SessionDocument }];
    // the error's message, not its class: Jest's realm may not see better-sqlite3's SqliteError as an Error
    expect(await store.write(batch).then(() => 'no error', (error: unknown) => String(error))).toMatch(/NOT NULL constraint failed: sessions.room_id/);
    expect(store.db.prepare('SELECT count(*) FROM session_candidate_type_sets').pluck().get()).toBe(0);
    await store.write([prflx]);
    const parsed = parseSessionFilter('candidate_types_b = prflx');
    if (!parsed.ok) throw new Error(parsed.error);
    const result = await store.search({ q: '', filter: parsed.ast, sort: DEFAULT_SESSION_SORT, limit: 20, offset: 0, facets: [] });
    expect(result.hits.map((hit: SessionDocument) => hit.client_a_id)).toEqual(['prflx']);
    await store.close();
  });
});

/** The tables as the first version created them, before `kind`, `renegotiations` and `end_reason`. */
const OLDER_TABLES = `
  CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY, room_id TEXT NOT NULL, connection_state TEXT NOT NULL, failure_reason TEXT, failure_detail TEXT,
    created_at REAL NOT NULL, updated_at REAL NOT NULL, ended_at REAL, client_a_id TEXT, client_b_id TEXT, client_a_user TEXT,
    client_b_user TEXT, client_a_remote_addr TEXT, client_b_remote_addr TEXT, client_a_user_agent TEXT, client_b_user_agent TEXT,
    client_a_node TEXT, client_b_node TEXT, relay_used INTEGER, ice_restarts INTEGER NOT NULL, candidate_types_a TEXT NOT NULL,
    candidate_types_b TEXT NOT NULL, duration_ms REAL, time_to_connected_ms REAL, rtt_ms REAL
  );
  CREATE TABLE session_bodies (session_id TEXT PRIMARY KEY, document TEXT NOT NULL, fold TEXT NOT NULL) WITHOUT ROWID;
`;

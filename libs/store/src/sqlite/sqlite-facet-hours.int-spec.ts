import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionDocument, SessionFilterableField } from '@sg/schema';
import { DEFAULT_SESSION_SORT, parseSessionFilter, type SessionSearchQuery, type StoredSession } from '@sg/session';
import { storedSession } from '../contract/session-store-fixtures';
import { HOURLY_FACET_FIELDS, planHourlyFacets } from './sqlite-facet-hours';
import { searchSqliteSessions } from './sqlite-session-search';
import { SqliteSessionStore } from './sqlite-session-store';

const directory = mkdtempSync(join(tmpdir(), 'sqlite-facet-hours-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const HOUR = 3_600;
/** An hour's start, in Unix seconds (2026-11-01 00:00 UTC). */
const H0 = Date.UTC(2026, 10, 1) / 1000;

function filterOf(filter: string | undefined) {
  const parsed = parseSessionFilter(filter);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.ast;
}

describe('planHourlyFacets', () => {
  const plan = (filter?: string) => planHourlyFacets(filterOf(filter));

  it('counts every hour when there is no filter', () => {
    expect(plan()).toEqual({ fromHour: null, toHour: null, edges: [] });
  });

  it('takes whole hours from the counts and scans what a bound leaves of an hour', () => {
    expect(plan(`created_at >= ${H0} AND created_at < ${H0 + 3 * HOUR}`)).toEqual({
      fromHour: H0 / HOUR,
      toHour: H0 / HOUR + 3,
      edges: [
        { sql: 'created_at >= ? AND created_at < ?', params: [H0, H0] },
        { sql: 'created_at >= ? AND created_at < ?', params: [H0 + 3 * HOUR, H0 + 3 * HOUR] },
      ],
    });
    // an excluded start leaves out its first hour; TO includes its end, a point of the next hour
    expect(plan(`created_at > ${H0} AND created_at <= ${H0 + 3 * HOUR + 0.5}`)).toMatchObject({ fromHour: H0 / HOUR + 1, toHour: H0 / HOUR + 3 });
    expect(plan(`created_at ${H0 - 1} TO ${H0 + 2 * HOUR}`)).toEqual({
      fromHour: H0 / HOUR,
      toHour: H0 / HOUR + 2,
      edges: [
        { sql: 'created_at >= ? AND created_at < ?', params: [H0 - 1, H0] },
        { sql: 'created_at >= ? AND created_at <= ?', params: [H0 + 2 * HOUR, H0 + 2 * HOUR] },
      ],
    });
    expect(plan(`created_at >= ${H0 + 0.25}`)).toEqual({ fromHour: H0 / HOUR + 1, toHour: null, edges: [{ sql: 'created_at >= ? AND created_at < ?', params: [H0 + 0.25, H0 + HOUR] }] });
  });

  it('intersects several bounds', () => {
    expect(plan(`created_at >= ${H0} AND created_at >= ${H0 + HOUR} AND created_at < ${H0 + 5 * HOUR} AND created_at <= ${H0 + 4 * HOUR}`)).toMatchObject({ fromHour: H0 / HOUR + 1, toHour: H0 / HOUR + 4 });
  });

  it.each([
    ['a range within one hour', `created_at ${H0 + 10} TO ${H0 + 20}`],
    ['one point', `created_at = ${H0}`],
    ['an empty range', `created_at > ${H0 + 5 * HOUR} AND created_at < ${H0}`],
    ['another field', `created_at >= ${H0} AND room_id = x`],
    ['another time field', `updated_at >= ${H0}`],
    ['OR', `created_at < ${H0} OR created_at > ${H0 + 10 * HOUR}`],
    ['NOT', `NOT created_at < ${H0}`],
    ['!=', `created_at != ${H0}`],
    ['a bound that is not a number', 'created_at >= abc'],
    ['IN', `created_at IN [${H0}]`],
    ['times no session has, past exact hour arithmetic', 'created_at >= 1e300'],
  ])('leaves %s to the scan', (_label, filter) => {
    expect(plan(filter)).toBeNull();
  });
});

describe('hourly facet counts', () => {
  let store: SqliteSessionStore;
  let next: () => number;
  const sessions = new Map<string, StoredSession>();

  beforeAll(() => {
    store = new SqliteSessionStore({ path: join(directory, 'sessions.db') });
    let state = 12_345;
    next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
  });
  afterAll(() => store.close());

  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const base = storedSession({ room: 'r', a: 'a', b: 'b', at: H0 * 1000, outcome: 'closed' });

  /** Times on and around hour starts, and anywhere in 30 hours. */
  function someTime(): number {
    const hour = H0 + Math.floor(next() * 30) * HOUR;
    return pick([hour, hour - 0.001, hour + 0.001, hour + HOUR - 0.001, hour + next() * HOUR, hour + Math.floor(next() * HOUR)]);
  }

  /** A document with random counted fields, spellings the fold never writes included ('Closed', ''). */
  function someDocument(id: string, created: number): SessionDocument {
    const state = pick(['new', 'connecting', 'connected', 'closed', 'failed', 'failed', 'Closed', '']);
    const ended = state === 'closed' || state === 'failed' || state === 'Closed' ? created + next() * 600 : null;
    const document = {
      ...base.document,
      session_id: id,
      room_id: `room-${Math.floor(next() * 40)}`,
      kind: pick(['call', 'call', 'probe']),
      connection_state: state,
      failure_reason: state === 'failed' ? pick(['no-answer', 'ice-failed', 'node-lost', 'No-Answer']) : null,
      end_reason: ended === null ? null : pick(['bye', 'failed', 'kicked', '']),
      created_at: created,
      updated_at: ended ?? created + 1,
      ended_at: ended,
      relay_used: pick([true, false, null]),
      ice_restarts: pick([0, 0, 1, 2]),
      renegotiations: pick([0, 1, 3]),
      candidate_types_b: pick([['host'], ['relay'], [], ['host', 'srflx']]),
    };
    return document as unknown as SessionDocument;
  }

  async function write(documents: SessionDocument[]): Promise<void> {
    for (const document of documents) sessions.set(document.session_id, { document, fold: base.fold });
    await store.write(documents.map((document) => ({ document, fold: base.fold })));
  }

  /** The counts recounted from the sessions, in JavaScript. */
  function recount(): Array<[number, string, string | number, number]> {
    const counts = new Map<string, [number, string, string | number, number]>();
    const rows = store.db.prepare(`SELECT created_at, ${HOURLY_FACET_FIELDS.join(', ')} FROM sessions`).all() as Array<Record<string, string | number | null>>;
    for (const row of rows) {
      const at = row['created_at'] as number;
      let hour = Math.floor(at / HOUR);
      while (hour * HOUR > at) hour--;
      while ((hour + 1) * HOUR <= at) hour++;
      for (const field of HOURLY_FACET_FIELDS) {
        const value = row[field];
        if (value === null) continue;
        const key = JSON.stringify([hour, field, value]);
        const entry = counts.get(key) ?? [hour, field, value, 0];
        entry[3]++;
        counts.set(key, entry);
      }
    }
    return [...counts.values()].sort(byRow);
  }

  function stored(): Array<[number, string, string | number, number]> {
    return (store.db.prepare('SELECT hour, field, value, n FROM session_facet_hours').raw().all() as Array<[number, string, string | number, number]>).sort(byRow);
  }

  /** Time-range filters of every shape around the data's hours, and a few others. */
  function filters(): string[] {
    const list: string[] = ['', `created_at >= ${H0 - 5 * HOUR}`, 'room_id = room-3'];
    for (let i = 0; i < 60; i++) {
      const from = H0 + Math.floor(next() * 32 - 1) * HOUR;
      const to = from + Math.floor(next() * 12) * HOUR;
      const nudge = () => pick([0, 0, 0.001, -0.001, 0.5, 1800]);
      list.push(
        pick([
          `created_at >= ${from + nudge()}`,
          `created_at > ${from + nudge()}`,
          `created_at < ${to + nudge()}`,
          `created_at <= ${to + nudge()}`,
          `created_at ${from + nudge()} TO ${to + nudge()}`,
          `created_at >= ${from + nudge()} AND created_at < ${to + nudge()}`,
          `created_at > ${from + nudge()} AND created_at <= ${to + nudge()}`,
        ]),
      );
    }
    return list;
  }

  /** The searches answer as the scan does, and most of them from the hourly counts. */
  function expectSameAsScan(): void {
    const facets: SessionFilterableField[] = [...HOURLY_FACET_FIELDS, 'room_id', 'candidate_types_b'];
    let planned = 0;
    for (const filter of filters()) {
      const query: SessionSearchQuery = { q: '', filter: filterOf(filter || undefined), sort: DEFAULT_SESSION_SORT, limit: 3, offset: 0, facets };
      if (planHourlyFacets(query.filter)) planned++;
      const scanned = searchSqliteSessions(store.db, query, { scanOnly: true });
      expect({ filter, result: searchSqliteSessions(store.db, query) }).toEqual({ filter, result: scanned });
      const totalOnly = { ...query, facets: [] };
      expect(searchSqliteSessions(store.db, totalOnly).estimatedTotalHits).toBe(scanned.estimatedTotalHits);
    }
    expect(planned).toBeGreaterThan(40);
  }

  it('counts what the writes insert', async () => {
    for (let batch = 0; batch < 6; batch++) {
      await write(Array.from({ length: 500 }, (_, i) => someDocument(`s${batch * 500 + i}`, someTime())));
    }
    expect(stored()).toEqual(recount());
    expectSameAsScan();
  });

  it('moves a count when a session changes state or hour, in the same transaction as the write', async () => {
    const ids = [...sessions.keys()];
    const changed = Array.from({ length: 1500 }, () => pick(ids));
    await write(
      [...new Set(changed)].map((id) => {
        const before = (sessions.get(id) as StoredSession).document;
        const after = someDocument(id, next() < 0.2 ? someTime() : before.created_at);
        // a third keep their counted fields and change only what is not counted
        return next() < 0.3 ? { ...before, rtt_ms: next() * 100 } : after;
      }),
    );
    expect(stored()).toEqual(recount());
    expectSameAsScan();
  });

  it('takes off what retention deletes, and leaves no empty counts', async () => {
    const deleted = await store.deleteEndedBefore(H0 + 15 * HOUR);
    expect(deleted).toBeGreaterThan(100);
    expect(stored()).toEqual(recount());
    expect(store.db.prepare('SELECT count(*) FROM session_facet_hours WHERE n <= 0').pluck().get()).toBe(0);
    expectSameAsScan();
  });

  it('keeps the counts of a batch that rolled back out', async () => {
    const before = stored();
    const good = someDocument('rolled-back', H0 + 2 * HOUR);
    const bad = { ...someDocument('bad', H0), room_id: null } as unknown as SessionDocument;
    // the error's message, not its class: Jest's realm may not see better-sqlite3's SqliteError as an Error
    const failure = await store.write([good, bad].map((document) => ({ document, fold: base.fold }))).then(
      () => 'no error',
      (error: unknown) => String(error),
    );
    expect(failure).toMatch(/NOT NULL constraint failed: sessions.room_id/);
    expect(stored()).toEqual(before);
    expect(stored()).toEqual(recount());
  });
});

function byRow(x: [number, string, string | number, number], y: [number, string, string | number, number]): number {
  const a = JSON.stringify(x.slice(0, 3));
  const b = JSON.stringify(y.slice(0, 3));
  return a < b ? -1 : a > b ? 1 : 0;
}

import type { SessionFilterableField, SessionId } from '@sg/schema';
import { applySessionEvent, DEFAULT_SESSION_SORT, parseSessionFilter, renderSessionDocument, SessionFold, SessionStore } from '@sg/session';
import { describeSessionSearch } from './describe-session-search';
import { storedSession } from './session-store-fixtures';

/**
 * The one contract every SessionStore passes (SQLite always, Meilisearch when
 * MEILI_URL is set). `makeStore` returns an empty, initialised store.
 */
export function describeSessionStore(name: string, makeStore: () => Promise<SessionStore>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let store: SessionStore;
    const T = Date.UTC(2026, 10, 1, 12) ;

    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(() => store.close());

    it('writes a session and gets its document by id', async () => {
      const session = storedSession({ room: 'room-1', a: 'pa', b: 'pb', at: T, outcome: 'connected', userA: 'alice' });
      await store.write([session]);
      expect(await store.get(session.document.session_id)).toEqual(session.document);
    });

    it('keeps the trace: trace_id in the document, the traceparent in the fold', async () => {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const session = storedSession({ room: 'room-1', a: 'pa', b: 'pb', at: T, outcome: 'connected', traceparent });
      await store.write([session]);
      expect((await store.get(session.document.session_id))?.trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect((await store.loadFolds([session.document.session_id])).get(session.document.session_id)?.trace).toEqual({ t: T, v: traceparent });
    });

    it('answers null for an unknown id', async () => {
      expect(await store.get('no-such-session' as SessionId)).toBeNull();
    });

    it('an upsert replaces the document and the fold', async () => {
      const first = storedSession({ room: 'room-1', a: 'pa', b: 'pb', at: T, outcome: 'connected' });
      await store.write([first]);
      const fold = applySessionEvent(first.fold, { kind: 'peer-left', t: T + 5_000, room: first.fold.room, node: 'node-1' as never, peer: first.fold.a.peer, reason: 'bye', position: `${T + 5_000}-0/0` }) as SessionFold;
      const second = { fold, document: renderSessionDocument(fold) };
      expect(second.document.connection_state).toBe('closed');
      await store.write([second]);
      expect(await store.get(first.document.session_id)).toEqual(second.document);
      expect((await store.loadFolds([first.document.session_id])).get(first.document.session_id)).toEqual(fold);
    });

    it('writes a batch and loads the folds that exist among the ids asked for', async () => {
      const batch = Array.from({ length: 300 }, (_, i) => storedSession({ room: `room-${i % 7}`, a: `a${i}`, b: `b${i}`, at: T + i, outcome: i % 2 ? 'closed' : 'new' }));
      await store.write(batch);
      const ids = [...batch.map((s) => s.document.session_id), 'missing' as SessionId];
      const folds = await store.loadFolds(ids);
      expect(folds.size).toBe(300);
      for (const session of batch) expect(folds.get(session.document.session_id)).toEqual(session.fold);
      expect(await store.get(batch[299].document.session_id)).toEqual(batch[299].document);
    });

    it('deletes only sessions that ended before the cutoff', async () => {
      const endedLongAgo = storedSession({ room: 'r', a: 'old-a', b: 'old-b', at: T - 10 * 86_400_000, outcome: 'closed' });
      const openLongAgo = storedSession({ room: 'r', a: 'open-a', b: 'open-b', at: T - 10 * 86_400_000, outcome: 'connected' });
      const endedRecently = storedSession({ room: 'r', a: 'new-a', b: 'new-b', at: T - 3_600_000, outcome: 'closed' });
      const failedLongAgo = storedSession({ room: 'r', a: 'f-a', b: 'f-b', at: T - 9 * 86_400_000, outcome: 'ice-failed' });
      await store.write([endedLongAgo, openLongAgo, endedRecently, failedLongAgo]);
      const cutoff = (T - 7 * 86_400_000) / 1000;
      expect(await store.deleteEndedBefore(cutoff)).toBe(2);
      expect(await store.get(endedLongAgo.document.session_id)).toBeNull();
      expect(await store.get(failedLongAgo.document.session_id)).toBeNull();
      expect(await store.get(openLongAgo.document.session_id)).not.toBeNull();
      expect(await store.get(endedRecently.document.session_id)).not.toBeNull();
      expect(await store.deleteEndedBefore(cutoff)).toBe(0);
    });

    it('filters and counts facets on kind, renegotiations and end_reason', async () => {
      await store.write([
        storedSession({ room: 'r', a: 'call-bye', b: 'x1', at: T, outcome: 'closed' }),
        storedSession({ room: 'r', a: 'call-renegotiated', b: 'x2', at: T + 1_000, outcome: 'connected', renegotiations: 2 }),
        storedSession({ room: 'r', a: 'probe-hung-up', b: 'probe', at: T + 2_000, outcome: 'hang-up' }),
        storedSession({ room: 'r', a: 'call-failed', b: 'x3', at: T + 3_000, outcome: 'ice-failed' }),
        storedSession({ room: 'r', a: 'call-node-lost', b: 'x4', at: T + 4_000, outcome: 'node-lost' }),
      ]);
      const search = async (filter: string, facets: SessionFilterableField[] = []) => {
        const parsed = parseSessionFilter(filter);
        if (!parsed.ok) throw new Error(parsed.error);
        return store.search({ q: '', filter: parsed.ast, sort: DEFAULT_SESSION_SORT, limit: 20, offset: 0, facets });
      };
      const idsOf = async (filter: string) => (await search(filter)).hits.map((hit) => hit.client_a_id);
      expect(await idsOf('kind = probe')).toEqual(['probe-hung-up']);
      expect(await idsOf('kind = call AND renegotiations > 0')).toEqual(['call-renegotiated']);
      expect(await idsOf('renegotiations = 0 AND ice_restarts = 0')).toEqual(['call-node-lost', 'call-failed', 'probe-hung-up', 'call-bye']);
      expect(await idsOf('end_reason = bye')).toEqual(['probe-hung-up', 'call-bye']);
      expect(await idsOf('end_reason IN [node-lost, failed]')).toEqual(['call-node-lost', 'call-failed']);
      expect(await idsOf('end_reason IS NULL')).toEqual(['call-renegotiated']);
      expect((await search('', ['kind', 'end_reason', 'renegotiations'])).facetDistribution).toEqual({
        kind: { call: 4, probe: 1 },
        end_reason: { bye: 2, failed: 1, 'node-lost': 1 },
        renegotiations: { '0': 4, '2': 1 },
      });
    });

    it('passes its readiness check', async () => {
      await expect(store.check()).resolves.toBeUndefined();
    });
  });
  describeSessionSearch(name, makeStore);
}

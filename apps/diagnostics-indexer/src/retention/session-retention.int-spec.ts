import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeId, PeerId, RoomId, SessionEvent, SessionId } from '@sg/schema';
import { foldSessionEvents, PeerKey, PeerRecord, renderSessionDocument, SessionFold, StoredSession } from '@sg/session';
import { SqliteSessionStore } from '@sg/store';
import { IndexerConfig } from '../config/indexer-config';
import { IndexerEnv } from '../config/indexer-env';
import type { IndexerMetrics } from '../indexing/indexer-metrics';
import { SessionRetentionService } from './session-retention.service';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 0, 31, 12);

/** A session folded from real events: offered at `at`, and ended `endedAfterMs` later by a bye, or still open. */
function session(name: string, at: number, endedAfterMs: number | null): StoredSession {
  const room = `room-${name}` as RoomId;
  const [a, b] = [`${name}-a` as PeerId, `${name}-b` as PeerId];
  const node = 'node-1' as NodeId;
  const events: SessionEvent[] = [
    { kind: 'signal', t: at, room, node, signal: 'offer', from: a, to: b },
    { kind: 'signal', t: at + 100, room, node, signal: 'answer', from: b, to: a },
    { kind: 'state', t: at + 200, room, node, peer: a, to: b, connectionState: 'connected' },
  ];
  if (endedAfterMs !== null) events.push({ kind: 'peer-left', t: at + endedAfterMs, room, node, peer: a, reason: 'bye' });
  const sessions = new Map<SessionId, SessionFold>();
  foldSessionEvents(events.map((event, i) => ({ position: `${at}-0/${i}`, event })), new Map<PeerKey, PeerRecord>(), sessions);
  const fold = [...sessions.values()][0];
  return { fold, document: renderSessionDocument(fold) };
}

describe(SessionRetentionService.name, () => {
  const directory = mkdtempSync(join(tmpdir(), 'retention-'));
  let store: SqliteSessionStore;
  let deletedTotal: number;
  let retention: SessionRetentionService;

  beforeEach(() => {
    store = new SqliteSessionStore({ path: join(directory, `sessions-${Date.now()}-${Math.random()}.db`) });
    deletedTotal = 0;
    const metrics = { sessionsDeleted: { inc: (n: number) => (deletedTotal += n) } } as unknown as IndexerMetrics;
    const config = new IndexerConfig(Object.assign(new IndexerEnv(), { SESSION_TTL_DAYS: 7 }));
    retention = new SessionRetentionService(store, config, metrics);
  });
  afterEach(() => store.close());
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('deletes only ended sessions older than SESSION_TTL_DAYS, judged by when they ended', async () => {
    const sessions = {
      endedLongAgo: session('ended-8-days-ago', NOW - 9 * DAY_MS, DAY_MS),
      endedJustBeforeCutoff: session('ended-7-days-1-min-ago', NOW - 7 * DAY_MS - 120_000, 60_000),
      endedJustAfterCutoff: session('ended-6-days-23-h-ago', NOW - 7 * DAY_MS, 3_600_000),
      startedLongAgoEndedRecently: session('started-30-days-ago-ended-yesterday', NOW - 30 * DAY_MS, 29 * DAY_MS),
      neverEnded: session('open-since-30-days', NOW - 30 * DAY_MS, null),
    };
    await store.write(Object.values(sessions));
    expect(sessions.neverEnded.document.ended_at).toBeNull();

    expect(await retention.sweep(NOW)).toBe(2);
    const left = async (s: StoredSession) => (await store.get(s.document.session_id)) !== null;
    expect(await left(sessions.endedLongAgo)).toBe(false);
    expect(await left(sessions.endedJustBeforeCutoff)).toBe(false);
    expect(await left(sessions.endedJustAfterCutoff)).toBe(true);
    expect(await left(sessions.startedLongAgoEndedRecently)).toBe(true);
    expect(await left(sessions.neverEnded)).toBe(true);
    expect(deletedTotal).toBe(2);

    // a day later the next one has aged out; a sweep repeated at the same time deletes nothing more
    expect(await retention.sweep(NOW + DAY_MS)).toBe(1);
    expect(await retention.sweep(NOW + DAY_MS)).toBe(0);
    expect(await left(sessions.endedJustAfterCutoff)).toBe(false);
    expect(await left(sessions.neverEnded)).toBe(true);
  });
});

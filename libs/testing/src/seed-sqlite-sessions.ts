import type { NodeId, PeerId, RoomId, SessionDocument, SessionEvent, SessionId } from '@sg/schema';
import { foldSessionEvents, PeerKey, PeerRecord, renderSessionDocument, SessionFold, StoredSession } from '@sg/session';

const STATES: Array<[SessionDocument['connection_state'], SessionDocument['failure_reason']]> = [
  ['closed', null],
  ['closed', null],
  ['connected', null],
  ['new', null],
  ['failed', 'no-answer'],
  ['failed', 'ice-failed'],
];
const CANDIDATES = [['host'], ['host', 'srflx'], ['host', 'srflx', 'relay'], ['relay'], ['host', 'mdns'], []];

/**
 * Writes `count` varied sessions into a SQLite session file, the way the indexer's store would,
 * so an admin-search started on that file has data of a known shape: session `i` is in room
 * `room-(i % rooms)`, created `i` seconds after `startSeconds`.
 */
export async function seedSqliteSessions(path: string, count: number, options: { rooms?: number; startSeconds?: number } = {}): Promise<void> {
  const rooms = options.rooms ?? 500;
  const start = options.startSeconds ?? Date.UTC(2026, 10, 1) / 1000;
  const { fold, document: template } = sessionTemplate(start);
  // loaded here, not at import: most suites that import the testing lib never touch SQLite
  // (require, not import(): Jest runs tests as CommonJS without VM modules)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SqliteSessionStore } = require('@sg/store') as typeof import('@sg/store');
  const store = new SqliteSessionStore({ path });
  for (let first = 0; first < count; first += 1000) {
    const batch = [];
    for (let i = first; i < Math.min(count, first + 1000); i++) {
      const [state, reason] = STATES[i % STATES.length];
      const created = start + i;
      const document: SessionDocument = {
        ...template,
        session_id: `seed-${i}` as SessionId,
        room_id: `room-${i % rooms}` as RoomId,
        connection_state: state,
        failure_reason: reason,
        created_at: created,
        updated_at: created + 1,
        ended_at: state === 'closed' || state === 'failed' ? created + 60 : null,
        client_a_id: `pa-${i}` as PeerId,
        client_b_id: `pb-${i}` as PeerId,
        client_a_user: i % 3 === 0 ? null : `user-${i % 97}@example.com`,
        client_b_user: `user-${(i * 7) % 97}@example.com`,
        client_a_user_agent: `Mozilla/5.0 Agent/${i % 211}`,
        candidate_types_a: CANDIDATES[i % CANDIDATES.length],
        candidate_types_b: CANDIDATES[(i >> 1) % CANDIDATES.length],
        relay_used: state === 'closed' ? i % 5 === 0 : null,
        rtt_ms: state === 'closed' ? 10 + (i % 190) : null,
      };
      batch.push({ document, fold });
    }
    await store.write(batch);
  }
  await store.close();
}

/**
 * One real folded call (both peers admitted, offer, answer, three candidates a side, connected,
 * a stats report, a bye) created at `startSeconds`: generated sessions copy its document with
 * their own fields and share its fold, so rows have a real document's size. Used by
 * `seedSqliteSessions` and the search benchmark.
 */
export function sessionTemplate(startSeconds: number): StoredSession {
  const room = 'seed-room' as RoomId;
  const [a, b] = ['peer-a' as PeerId, 'peer-b' as PeerId];
  const node = 'gw-1' as NodeId;
  const t = startSeconds * 1000;
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
  const fold = [...sessions.values()][0];
  return { fold, document: renderSessionDocument(fold) };
}

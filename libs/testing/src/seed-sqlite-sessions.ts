import type { NodeId, PeerId, RoomId, SessionDocument, SessionEvent, SessionId } from '@sg/schema';
import { foldSessionEvents, PeerKey, PeerRecord, renderSessionDocument, SessionFold } from '@sg/session';

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
  const fold = templateFold(start);
  const template = renderSessionDocument(fold);
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

function templateFold(start: number): SessionFold {
  const room = 'seed-room' as RoomId;
  const [a, b] = ['peer-a' as PeerId, 'peer-b' as PeerId];
  const node = 'gw-1' as NodeId;
  const t = start * 1000;
  const events: SessionEvent[] = [
    { kind: 'peer-joined', t, room, node, peer: a, user: 'user-1', remoteAddr: '198.51.100.1:40000', userAgent: 'Mozilla/5.0 Chrome/131' },
    { kind: 'peer-joined', t, room, node, peer: b, user: 'user-2', remoteAddr: '203.0.113.1:50000', userAgent: 'Mozilla/5.0 Firefox/133' },
    { kind: 'signal', t: t + 10, room, node, signal: 'offer', from: a, to: b },
    { kind: 'peer-left', t: t + 60_000, room, node, peer: a, reason: 'bye' },
  ];
  const sessions = new Map<string, SessionFold>();
  foldSessionEvents(events.map((event, i) => ({ position: `${t}-0/${i}`, event })), new Map<PeerKey, PeerRecord>(), sessions as Map<never, SessionFold>);
  return [...sessions.values()][0];
}

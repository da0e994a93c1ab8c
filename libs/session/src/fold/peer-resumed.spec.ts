import type { NodeId, PeerId, RoomId, SessionEvent } from '@sg/schema';
import { foldSessionEvents, PeerKey, PeerRecord, PositionedSessionEvent } from './fold-session-events';
import { renderSessionDocument } from './render-session-document';
import type { SessionFold } from './session-fold';
import { sessionIdFor } from './session-id';

const ROOM = 'room-1' as RoomId;
const A = 'peer-a' as PeerId;
const B = 'peer-b' as PeerId;
const T0 = 1_700_000_000_000;
const RULES = { negotiationTimeoutMs: 30_000, iceTimeoutMs: 20_000 };

type EventWithoutRoom = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'room'> : never) : never;

function positioned(events: EventWithoutRoom[]): PositionedSessionEvent[] {
  return events.map((event, i) => ({ position: `${T0 + i + 1}-0/0`, event: { room: ROOM, ...event } as SessionEvent }));
}

describe('a peer-resumed event in the session fold', () => {
  it('puts the resume in the timeline of the peer’s sessions, moves its node, and ends nothing', () => {
    const events = positioned([
      { kind: 'signal', t: T0 + 1_000, node: 'gw-1' as NodeId, signal: 'offer', from: A, to: B },
      { kind: 'signal', t: T0 + 1_100, node: 'gw-1' as NodeId, signal: 'answer', from: B, to: A },
      { kind: 'peer-resumed', t: T0 + 1_200, node: 'gw-2' as NodeId, peer: B, previousNode: 'gw-1' as NodeId, remoteAddr: '192.0.2.1:4000' },
    ]);
    const sessions = new Map<ReturnType<typeof sessionIdFor>, SessionFold>();
    foldSessionEvents(events, new Map<PeerKey, PeerRecord>(), sessions);

    const doc = renderSessionDocument(sessions.get(sessionIdFor(ROOM, A, B)) as SessionFold, RULES);

    expect(doc.events.map((event) => [event.type, event.by, event.detail])).toEqual([
      ['offer', 'a', undefined],
      ['answer', 'b', undefined],
      ['peer-resumed', 'b', 'gw-1 -> gw-2'],
    ]);
    expect(doc).toMatchObject({ client_b_node: 'gw-2', connection_state: 'connecting', ended_at: null, failure_reason: null });
  });
});

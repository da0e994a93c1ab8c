import type { PeerId, SessionId } from '@sg/schema';
import { foldSessionEvents, PeerKey, PeerRecord } from './fold-session-events';
import { nextDeadline } from './next-deadline';
import { renderSessionDocument } from './render-session-document';
import type { SessionFold } from './session-fold';
import { A, B, documentOf, EventWithoutRoom, fold, HOST, MDNS, NODE_1, NODE_2, ROOM, RULES, Script, SESSION, T0 } from './session-script.fixtures';
import { TIMELINE_MAX_EVENTS } from './session-rules';
import { sessionIdFor } from './session-id';

describe('session documents (PROTOCOL section 2)', () => {
  it('a complete call becomes one document with both sides, timings and candidate types', () => {
    const doc = documentOf(new Script().connected().stats(A, 3_000, { rttMs: 42, packetLossPct: 0.5, jitterMs: 3, bitrateKbps: 900, localCandidateType: 'srflx', remoteCandidateType: 'relay', protocol: 'udp' }).left(A, 9_000, 'bye').events);
    expect(doc).toMatchObject({
      session_id: SESSION,
      room_id: ROOM,
      created_at: (T0 + 1_000) / 1000,
      ended_at: (T0 + 9_000) / 1000,
      client_a_id: A,
      client_b_id: B,
      client_a_user: 'user-peer-a',
      client_b_user: 'user-peer-b',
      client_a_remote_addr: '198.51.100.1:40001',
      client_b_remote_addr: '198.51.100.2:40002',
      client_a_user_agent: 'Mozilla/5.0 Chrome/131',
      client_a_node: NODE_1,
      client_b_node: NODE_2,
      connection_state: 'closed',
      failure_reason: null,
      time_to_answer_ms: 500,
      time_to_connected_ms: 1_000,
      duration_ms: 8_000,
      candidate_types_a: ['host'],
      candidate_types_b: ['relay', 'tcp'],
      relay_used: true,
      candidate_pairs: ['srflx/udp -> relay/udp'],
      ice_restarts: 0,
      rtt_ms: 42,
      packet_loss_pct: 0.5,
      jitter_ms: 3,
      bitrate_kbps: 900,
      message_counts: { offer: 1, candidate: 2, answer: 1, state: 2, stats: 1 },
      ice_connection_state: 'connected',
    });
    expect(doc.events.map((e) => `${e.by}:${e.type}`)).toEqual(['a:offer', 'a:candidate', 'b:answer', 'b:candidate', 'a:state', 'b:state', 'a:stats', 'a:peer-left']);
    expect(doc.events[1].detail).toBe('host udp');
  });

  it('is connecting once answered, and connected / disconnected as reported', () => {
    const s = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000).signal('answer', B, A, 1_200);
    expect(documentOf(s.events).connection_state).toBe('connecting');
    s.state(B, 2_000, { connectionState: 'connected' });
    expect(documentOf(s.events).connection_state).toBe('connected');
    s.state(B, 5_000, { connectionState: 'disconnected' });
    expect(documentOf(s.events)).toMatchObject({ connection_state: 'disconnected', ended_at: null });
  });

  it('connectionState decides when reported; ICE connected or completed alone counts without it', () => {
    const s = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000).signal('answer', B, A, 1_200);
    s.state(A, 1_300, { connectionState: 'new', iceConnectionState: 'completed' });
    expect(documentOf(s.events)).toMatchObject({ connection_state: 'connecting', time_to_connected_ms: null });
    s.state(B, 1_500, { iceConnectionState: 'completed' });
    expect(documentOf(s.events)).toMatchObject({ connection_state: 'connected', time_to_connected_ms: 500 });
  });

  it('no answer within NEGOTIATION_TIMEOUT_MS: failed / no-answer, ended at the deadline', () => {
    const events = new Script().connected().events.slice(0, 4); // joins, offer, candidate
    expect(documentOf(events, 29_999).connection_state).toBe('new');
    const doc = documentOf(events, 31_000 + 5);
    expect(doc).toMatchObject({ connection_state: 'failed', failure_reason: 'no-answer', ended_at: (T0 + 31_000) / 1000, duration_ms: 30_000 });
    expect(doc.events.at(-1)).toMatchObject({ type: 'no-answer', by: 'server' });
  });

  it('an answer that happened before the deadline counts even when it arrives after it', () => {
    const s = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000).signal('answer', B, A, 30_000);
    expect(documentOf(s.events, 40_000)).toMatchObject({ connection_state: 'connecting', failure_reason: null });
    const late = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000).signal('answer', B, A, 31_001);
    expect(documentOf(late.events)).toMatchObject({ connection_state: 'failed', failure_reason: 'no-answer' });
  });

  it('answered but not connected within ICE_TIMEOUT_MS: failed / ice-timeout', () => {
    const events = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000).signal('answer', B, A, 2_000).events;
    expect(documentOf(events, 21_999).connection_state).toBe('connecting');
    expect(documentOf(events, 22_000)).toMatchObject({ connection_state: 'failed', failure_reason: 'ice-timeout', ended_at: (T0 + 22_000) / 1000 });
  });

  it('a side reporting failed first gives ice-failed', () => {
    const events = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000).signal('answer', B, A, 2_000).state(A, 5_000, { iceConnectionState: 'failed' }).events;
    expect(documentOf(events, 60_000)).toMatchObject({ connection_state: 'failed', failure_reason: 'ice-failed', ended_at: (T0 + 5_000) / 1000, ice_connection_state: 'failed' });
  });

  it('a failed report with a reason is still a failed state (ice-failed), the reason kept as failure_detail', () => {
    // section 2: client-reported is only for a reason with no failed state
    const events = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000).state(B, 1_500, { connectionState: 'failed', reason: 'camera denied' }).events;
    expect(documentOf(events)).toMatchObject({ connection_state: 'failed', failure_reason: 'ice-failed', failure_detail: 'camera denied' });
  });

  it('a side leaving before connected gives peer-left-before-connected; its node dying gives node-lost', () => {
    const base = () => new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000).signal('answer', B, A, 2_000);
    expect(documentOf(base().left(B, 3_000, 'disconnected').events)).toMatchObject({ connection_state: 'failed', failure_reason: 'peer-left-before-connected', ended_at: (T0 + 3_000) / 1000 });
    expect(documentOf(base().left(A, 3_000, 'node-lost').events)).toMatchObject({ connection_state: 'failed', failure_reason: 'node-lost' });
  });

  it('after connected, bye or leaving gives closed', () => {
    for (const reason of ['bye', 'timeout', 'node-lost'] as const) {
      expect(documentOf(new Script().connected().left(B, 9_000, reason).events)).toMatchObject({ connection_state: 'closed', failure_reason: null });
    }
  });

  it("a kick closes a connected call and shows in the timeline as the server's act, naming the peer", () => {
    const doc = documentOf(new Script().connected().left(B, 9_000, 'kicked').events);
    expect(doc).toMatchObject({ connection_state: 'closed', failure_reason: null });
    expect(doc.events.at(-1)).toEqual({ t: (T0 + 9_000) / 1000, type: 'kicked', by: 'server', detail: B });
    expect(doc.events.some((event) => event.type === 'peer-left')).toBe(false);
  });

  it('an ICE restart continues the session and counts, either way', () => {
    const doc = documentOf(new Script().connected().signal('offer', B, A, 5_000).signal('answer', A, B, 5_100).signal('offer', A, B, 6_000).events);
    expect(doc.ice_restarts).toBe(2);
    expect(doc.client_a_id).toBe(A);
    expect(doc.events.filter((e) => e.detail === 'ice restart')).toHaveLength(2);
  });

  it('a failure followed by a connected report (recovered by an ICE restart) is not an ending', () => {
    const doc = documentOf(new Script().connected().state(A, 5_000, { iceConnectionState: 'failed' }).state(A, 6_000, { iceConnectionState: 'connected' }).events);
    expect(doc).toMatchObject({ connection_state: 'connected', failure_reason: null, ended_at: null });
  });

  it('an answer arriving before its offer still makes the offerer side A', () => {
    const s = new Script().joined(A, 0).joined(B, 0).signal('answer', B, A, 1_200).signal('offer', A, B, 1_000);
    expect(documentOf(s.events)).toMatchObject({ client_a_id: A, client_b_id: B, created_at: (T0 + 1_000) / 1000, time_to_answer_ms: 200 });
  });

  it('a report the offerer sent before its offer (have-local-offer) does not make it side B', () => {
    const s = new Script().joined(A, 0).joined(B, 0).state(A, 900, { signalingState: 'have-local-offer' }).state(A, 950, { connectionState: 'failed' }).signal('offer', A, B, 1_000).signal('answer', B, A, 1_200);
    const doc = documentOf(s.events);
    expect(doc).toMatchObject({ client_a_id: A, client_b_id: B, client_a_user: 'user-peer-a', client_b_user: 'user-peer-b', created_at: (T0 + 1_000) / 1000, failure_reason: 'ice-failed' });
    expect(doc.events.map((e) => `${e.type}/${e.by}`)).toEqual(['state/a', 'state/a', 'offer/a', 'answer/b']);
    expect(doc.message_counts).toEqual({ state: 2, offer: 1, answer: 1 });
  });

  it('a redelivered batch changes nothing', () => {
    const events = new Script().connected().stats(A, 3_000, { rttMs: 10 }).events;
    const sessions = new Map<SessionId, SessionFold>();
    const peers = new Map<PeerKey, PeerRecord>();
    foldSessionEvents(events, peers, sessions);
    const once = structuredClone(sessions.get(SESSION));
    const outcome = foldSessionEvents(events, peers, sessions);
    expect(sessions.get(SESSION)).toEqual(once);
    expect(outcome.sessions.size).toBe(0);
    expect(outcome.peers.size).toBe(0);
  });

  it('a second copy of an entry, at later positions, changes nothing; a retried batch that grew adds only its new events', () => {
    const events = new Script().connected().stats(A, 3_000, { rttMs: 10 }).stats(A, 3_100, { rttMs: 11 }).events;
    const numbered = events.map((e, i) => ({ ...e, origin: { writer: e.event.node === NODE_1 ? 'w1' : 'w2', seq: i + 1 } }));
    const once = fold(numbered).sessions.get(SESSION);
    // the copies were appended to the stream after the originals: later positions, same sequence numbers
    const copies = numbered.map((e, i) => ({ ...e, position: `${T0 + 1_000 + i}-0/0` }));
    const sessions = new Map<SessionId, SessionFold>();
    const peers = new Map<PeerKey, PeerRecord>();
    foldSessionEvents(numbered.slice(0, -2), peers, sessions);
    foldSessionEvents(copies, peers, sessions);
    const twice = sessions.get(SESSION) as SessionFold;
    expect(renderSessionDocument(twice, RULES)).toEqual(renderSessionDocument(once as SessionFold, RULES));
    expect(renderSessionDocument(twice, RULES).message_counts).toEqual({ offer: 1, answer: 1, candidate: 2, state: 2, stats: 2 });
    // without sequence numbers the copies would count again: the check is what keeps them out
    const unnumbered = new Map<SessionId, SessionFold>();
    foldSessionEvents(events, new Map(), unnumbered);
    foldSessionEvents(copies.map(({ position, event }) => ({ position, event })), new Map(), unnumbered);
    expect(renderSessionDocument(unnumbered.get(SESSION) as SessionFold, RULES).message_counts['stats']).toBe(4);
  });

  it('a room-wide offer starts one session per receiver', () => {
    const C = 'peer-c' as PeerId;
    const s = new Script().joined(A, 0).joined(B, 0).joined(C, 0).signal('offer', A, B, 1_000).signal('offer', A, C, 1_000);
    const { sessions } = fold(s.events);
    expect([...sessions.keys()].sort()).toEqual([sessionIdFor(ROOM, A, B), sessionIdFor(ROOM, A, C)].sort());
  });

  it('a departure and a report without `to` reach every session of the peer, also across batches', () => {
    const C = 'peer-c' as PeerId;
    const first = new Script().joined(A, 0).joined(B, 0).joined(C, 0).signal('offer', A, B, 1_000).signal('offer', A, C, 1_000);
    const sessions = new Map<SessionId, SessionFold>();
    const peers = new Map<PeerKey, PeerRecord>();
    foldSessionEvents(first.events, peers, sessions);
    const second = new Script();
    second.add({ kind: 'state', t: T0 + 2_000, node: NODE_1, peer: A, signalingState: 'have-local-offer' } as EventWithoutRoom);
    second.add({ kind: 'peer-left', t: T0 + 3_000, node: NODE_1, peer: A, reason: 'bye' } as EventWithoutRoom);
    // positions must follow the first batch's
    const positioned = second.events.map((e, i) => ({ ...e, position: `${T0 + 100 + i}-0/0` }));
    foldSessionEvents(positioned, peers, sessions);
    for (const id of [sessionIdFor(ROOM, A, B), sessionIdFor(ROOM, A, C)]) {
      const doc = renderSessionDocument(sessions.get(id) as SessionFold, RULES);
      expect(doc).toMatchObject({ signaling_state: 'have-local-offer', failure_reason: 'peer-left-before-connected' });
    }
  });

  it("a departure read before the offer it followed (the leaver's node flushed first) still ends the session, also across batches", () => {
    const sameBatch = new Script().joined(A, 0).joined(B, 0).left(B, 1_200, 'disconnected').signal('offer', A, B, 1_000);
    expect(documentOf(sameBatch.events)).toMatchObject({ connection_state: 'failed', failure_reason: 'peer-left-before-connected', failure_detail: 'B left (disconnected)', ended_at: (T0 + 1_200) / 1000 });

    const sessions = new Map<SessionId, SessionFold>();
    const peers = new Map<PeerKey, PeerRecord>();
    foldSessionEvents(new Script().joined(A, 0).joined(B, 0).left(B, 1_200, 'node-lost').events, peers, sessions);
    expect(sessions.size).toBe(0);
    const later = new Script().signal('offer', A, B, 1_000).events.map((e) => ({ ...e, position: `${T0 + 100}-0/0` }));
    foldSessionEvents(later, peers, sessions);
    const doc = renderSessionDocument(sessions.get(SESSION) as SessionFold, RULES);
    expect(doc).toMatchObject({ connection_state: 'failed', failure_reason: 'node-lost' });
    expect(doc.events.map((e) => e.type)).toEqual(['offer', 'peer-left']);
    // delivered again, the batch adds nothing
    const once = structuredClone(sessions.get(SESSION));
    foldSessionEvents(later, peers, sessions);
    expect(sessions.get(SESSION)).toEqual(once);
  });

  it('a profile read after the session started is applied to it', () => {
    const s = new Script().signal('offer', A, B, 1_000).joined(B, 900, NODE_2);
    const doc = documentOf(s.events);
    expect(doc).toMatchObject({ client_b_user: 'user-peer-b', client_b_node: NODE_2, client_a_user: null, client_a_node: NODE_1 });
  });

  it('a report naming a peer never seen in the room starts no session', () => {
    const s = new Script().joined(A, 0).state(A, 1_000, { connectionState: 'connecting' }, 'ghost' as PeerId);
    expect(fold(s.events).sessions.size).toBe(0);
  });

  it('candidate markers: mdns and tcp, and end-of-candidates in the timeline', () => {
    const doc = documentOf(new Script().connected().signal('candidate', A, B, 1_060, MDNS).signal('candidate', A, B, 1_070, '').events);
    expect(doc.candidate_types_a).toEqual(['host', 'mdns']);
    expect(doc.events.find((e) => e.detail === 'end-of-candidates')).toBeDefined();
  });

  it('orders a millisecond as the protocol does: the offer, its candidates, then reports, whichever was read first', () => {
    const s = new Script().joined(A, 0).joined(B, 0).state(A, 1_000, { signalingState: 'have-local-offer' }).signal('candidate', A, B, 1_000, '').signal('candidate', A, B, 1_000, HOST).signal('offer', A, B, 1_000);
    expect(documentOf(s.events).events.map((e) => `${e.type} ${e.detail ?? ''}`.trim())).toEqual(['offer', 'candidate host udp', 'candidate end-of-candidates', 'state signaling have-local-offer']);
  });

  it('keeps the newest events of a long timeline, in time order', () => {
    const s = new Script().connected();
    for (let i = 0; i < 300; i++) s.stats(A, 3_000 + i, { rttMs: i });
    const doc = documentOf(s.events);
    expect(doc.events).toHaveLength(TIMELINE_MAX_EVENTS);
    expect(doc.events.at(-1)?.t).toBe((T0 + 3_299) / 1000);
    expect(doc.rtt_ms).toBe(299);
    expect(doc.message_counts['stats']).toBe(300);
    const times = doc.events.map((e) => e.t);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it('nextDeadline: no-answer deadline, then the ICE deadline, then none once connected', () => {
    const s = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000);
    const at = () => nextDeadline(fold(s.events).sessions.get(SESSION) as SessionFold, RULES);
    expect(at()).toBe(T0 + 31_000);
    s.signal('answer', B, A, 2_000);
    expect(at()).toBe(T0 + 22_000);
    s.state(A, 3_000, { connectionState: 'connected' });
    expect(at()).toBeNull();
  });
});

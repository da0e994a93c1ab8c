import { applySessionEvent } from './apply-session-event';
import { renderSessionDocument } from './render-session-document';
import type { SessionFold } from './session-fold';
import { A, at, documentOf, fold, NODE_1, PROBE, PROBE_SESSION, RULES, Script } from './session-script.fixtures';

const HOST = 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host';

/** A client's probe: its offer, the probe's answer and candidate, and the probe's own states, as a gateway node records them. */
function probe(): Script {
  return new Script(PROBE).answered().signal('candidate', PROBE, A, 2_100, HOST);
}

const probeDoc = (script: Script, clock?: number) => documentOf(script.events, clock, PROBE_SESSION);

// PROTOCOL section 1, "The probe peer": a session of a client (A) and its node's own peer (B, "probe")
describe('probe sessions', () => {
  it('are kind probe, the probe as side B, the client as side A', () => {
    expect(probeDoc(probe())).toMatchObject({ kind: 'probe', client_a_id: A, client_b_id: 'probe', connection_state: 'connecting' });
  });

  it("show the probe's events as the server's", () => {
    const doc = probeDoc(probe().state(PROBE, 2_500, { connectionState: 'connected', iceConnectionState: 'connected' }).stats(PROBE, 2_600, { rttMs: 3, localCandidateType: 'host', remoteCandidateType: 'host', protocol: 'udp' }));
    expect(doc.events.map((e) => `${e.type}/${e.by}`)).toEqual(['offer/a', 'answer/server', 'candidate/server', 'state/server', 'stats/server']);
    expect(doc).toMatchObject({ connection_state: 'connected', rtt_ms: 3, candidate_types_b: ['host'], candidate_pairs: ['host/udp -> host/udp'] });
  });

  it("show the probe's DTLS state in its timeline, and a DTLS failure after ICE connected as dtls-failed", () => {
    const doc = probeDoc(
      probe()
        .state(PROBE, 2_500, { connectionState: 'connecting', iceConnectionState: 'connected', dtlsState: 'connecting' })
        .state(PROBE, 2_700, { connectionState: 'failed', iceConnectionState: 'connected', dtlsState: 'failed' }),
    );
    expect(doc.events.filter((e) => e.type === 'state').map((e) => e.detail)).toEqual([
      'connection connecting, ice connected, dtls connecting',
      'connection failed, ice connected, dtls failed',
    ]);
    expect(doc).toMatchObject({ connection_state: 'failed', failure_reason: 'dtls-failed' });
  });

  it("keep the probe side's user, address and user agent null, its node from its events", () => {
    expect(probeDoc(probe())).toMatchObject({ client_b_user: null, client_b_remote_addr: null, client_b_user_agent: null, client_b_node: NODE_1, client_a_user: 'user-peer-a', client_a_node: NODE_1 });
  });

  it('take no admission profile for the probe side', () => {
    const session = fold(probe().events).sessions.get(PROBE_SESSION) as SessionFold;
    const profiled = applySessionEvent(session, { kind: 'profile', peer: PROBE, profile: { user: 'x', remoteAddr: '192.0.2.1:1', userAgent: 'x', node: 'elsewhere' as never } });
    expect(profiled).toBe(session);
  });

  it("let the probe's own view decide failure_reason over the client's report", () => {
    // the client says ICE failed; the probe saw ICE connect and only its transport fail
    const s = probe()
      .state(A, 3_000, { iceConnectionState: 'failed', reason: 'client view' })
      .state(PROBE, 2_900, { connectionState: 'connecting', iceConnectionState: 'connected' })
      .state(PROBE, 3_500, { connectionState: 'failed', iceConnectionState: 'connected', reason: 'probe view' });
    expect(probeDoc(s)).toMatchObject({ connection_state: 'failed', failure_reason: 'dtls-failed', failure_detail: 'probe view', ended_at: at(3_000), end_reason: 'failed' });
  });

  it("keep the client's reason when the probe's failure gives none", () => {
    const s = probe().state(A, 3_000, { connectionState: 'failed', reason: 'client view' }).state(PROBE, 3_500, { connectionState: 'failed', iceConnectionState: 'failed' });
    expect(probeDoc(s)).toMatchObject({ failure_reason: 'ice-failed', failure_detail: 'client view' });
  });

  it("let the probe's own failure decide when the client left before connected", () => {
    // the probe records its own view when its client gives up and goes
    const s = probe().left(A, 9_000, 'bye').state(PROBE, 9_001, { connectionState: 'failed', iceConnectionState: 'failed', reason: 'client left before the probe connected' });
    expect(probeDoc(s)).toMatchObject({ connection_state: 'failed', failure_reason: 'ice-failed', failure_detail: 'client left before the probe connected', ended_at: at(9_000), end_reason: 'failed' });
  });

  it("let the probe's own failure decide over a deadline that came first", () => {
    // ICE_TIMEOUT_MS (20 s here) shorter than the probe's own time limit
    const s = probe().state(PROBE, 31_000, { connectionState: 'failed', iceConnectionState: 'connected', reason: 'probe time limit of 30 s reached before connecting' });
    expect(probeDoc(s)).toMatchObject({ failure_reason: 'dtls-failed', ended_at: at(22_000) });
    expect(probeDoc(s).events.some((e) => e.type === 'ice-timeout' && e.by === 'server')).toBe(true);
  });

  it('keep a client departure as peer-left-before-connected when the probe reported no failure', () => {
    expect(probeDoc(probe().left(A, 9_000, 'disconnected'))).toMatchObject({ failure_reason: 'peer-left-before-connected', failure_detail: 'A left (disconnected)' });
  });

  it("go by the client's report while the probe has reported no failure", () => {
    const s = probe().state(A, 3_000, { signalingState: 'stable', reason: 'camera refused' });
    expect(probeDoc(s)).toMatchObject({ failure_reason: 'client-reported', failure_detail: 'camera refused' });
  });

  it('let the probe decide at the same millisecond, whichever report was read first', () => {
    const probeFirst = probe().state(PROBE, 3_000, { connectionState: 'failed', iceConnectionState: 'connected' }).state(A, 3_000, { iceConnectionState: 'failed' });
    const clientFirst = probe().state(A, 3_000, { iceConnectionState: 'failed' }).state(PROBE, 3_000, { connectionState: 'failed', iceConnectionState: 'connected' });
    expect(probeDoc(probeFirst)).toEqual(probeDoc(clientFirst));
    expect(probeDoc(probeFirst).failure_reason).toBe('dtls-failed');
  });

  it('end closed with end_reason bye when the connected probe hangs up at its time limit', () => {
    const s = probe().state(PROBE, 2_500, { connectionState: 'connected', iceConnectionState: 'connected' }).state(PROBE, 31_000, { connectionState: 'closed', reason: 'probe time limit of 30 s reached' });
    expect(probeDoc(s)).toMatchObject({ connection_state: 'closed', failure_reason: null, end_reason: 'bye', ended_at: at(31_000) });
  });

  it('end closed with the client’s departure reason when the client leaves', () => {
    const s = probe().state(PROBE, 2_500, { connectionState: 'connected' }).left(A, 9_000, 'bye');
    expect(probeDoc(s)).toMatchObject({ connection_state: 'closed', end_reason: 'bye', failure_reason: null });
  });

  it('count a client ICE restart to the probe', () => {
    const s = probe().state(PROBE, 2_500, { connectionState: 'connected' }).offer(A, 5_000, 'ufrag-2').offer(A, 6_000, 'ufrag-2');
    expect(probeDoc(s)).toMatchObject({ ice_restarts: 1, renegotiations: 1 });
  });

  it('are rendered the same from the stored fold (JSON)', () => {
    const session = fold(probe().events).sessions.get(PROBE_SESSION) as SessionFold;
    expect(renderSessionDocument(JSON.parse(JSON.stringify(session)) as SessionFold, RULES)).toEqual(renderSessionDocument(session, RULES));
  });
});

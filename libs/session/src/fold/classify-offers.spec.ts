import { classifyOffers } from './classify-offers';
import { applySessionEvent, SDPS_KEPT } from './apply-session-event';
import { renderSessionDocument } from './render-session-document';
import { A, B, documentOf, fold, NODE_1, NODE_2, ROOM, RULES, Script, SESSION, T0 } from './session-script.fixtures';
import type { SessionFold } from './session-fold';

/** A connected call whose offer carried `ufrag-1` and whose answer `ufrag-b`. */
function call(): Script {
  return new Script()
    .joined(A, 0)
    .joined(B, 0)
    .offer(A, 1_000, 'ufrag-1')
    .add({ kind: 'signal', t: T0 + 2_000, node: NODE_2, signal: 'answer', from: B, to: A, iceUfrag: 'ufrag-b' })
    .state(A, 2_500, { connectionState: 'connected' });
}

const laterOffers = (script: Script) => documentOf(script.events).events.filter((e) => e.type === 'offer').map((e) => e.detail ?? 'first');

describe(classifyOffers.name, () => {
  it('counts a later offer with the same ICE fragment as a renegotiation', () => {
    const doc = documentOf(call().offer(A, 5_000, 'ufrag-1').events);
    expect(doc).toMatchObject({ renegotiations: 1, ice_restarts: 0, connection_state: 'connected' });
  });

  it('counts a later offer with a new ICE fragment as an ICE restart', () => {
    const doc = documentOf(call().offer(A, 5_000, 'ufrag-2').events);
    expect(doc).toMatchObject({ renegotiations: 0, ice_restarts: 1 });
  });

  it('describes each later offer in the timeline, the first offer not at all', () => {
    expect(laterOffers(call().offer(A, 5_000, 'ufrag-1').offer(A, 6_000, 'ufrag-2').offer(A, 7_000, 'ufrag-2'))).toEqual(['first', 'renegotiation', 'ice restart', 'renegotiation']);
  });

  it('compares with the offer before it in time, not the one read before it', () => {
    // the 6 s offer is read first: against the 5 s one read later, it is a renegotiation
    const doc = documentOf(call().offer(A, 6_000, 'ufrag-2').offer(A, 5_000, 'ufrag-2').events);
    expect(doc).toMatchObject({ ice_restarts: 1, renegotiations: 1 });
    expect(doc.events.filter((e) => e.type === 'offer').map((e) => e.detail)).toEqual([undefined, 'ice restart', 'renegotiation']);
  });

  it("takes an offer from the other side as a renegotiation when it keeps the credentials of that side's answer", () => {
    // the fragment of an SDP is its sender's own: B's offer carries B's, which B's answer set
    const doc = documentOf(call().offer(B, 5_000, 'ufrag-b').events);
    expect(doc).toMatchObject({ renegotiations: 1, ice_restarts: 0, client_a_id: A });
  });

  it('takes an offer from the other side with new credentials as an ICE restart', () => {
    expect(documentOf(call().offer(B, 5_000, 'ufrag-b2').events)).toMatchObject({ renegotiations: 0, ice_restarts: 1 });
  });

  it("compares with the previous offer's fragment, whoever sent it, when nothing of the sender's is known", () => {
    const s = new Script().joined(A, 0).joined(B, 0).offer(A, 1_000, 'same').signal('answer', B, A, 2_000).offer(B, 5_000, 'same');
    expect(documentOf(s.events)).toMatchObject({ renegotiations: 1, ice_restarts: 0 });
  });

  it('counts an offer whose fragment is unknown (an older gateway) as an ICE restart, and the next one too', () => {
    const doc = documentOf(call().offer(A, 5_000).offer(A, 6_000, 'ufrag-1').events);
    expect(doc).toMatchObject({ ice_restarts: 2, renegotiations: 0 });
  });

  it(`remembers the earliest ${SDPS_KEPT} offers and answers, and counts later offers as ICE restarts`, () => {
    const s = call();
    for (let i = 0; i < 100; i++) s.offer(A, 5_000 + i, 'ufrag-1');
    const doc = documentOf(s.events);
    // 64 kept: the first offer, the answer and 62 renegotiations; the 38 later offers are restarts
    expect(doc).toMatchObject({ renegotiations: 62, ice_restarts: 38 });
    expect((fold(s.events).sessions.get(SESSION) as SessionFold).sdpLog).toHaveLength(SDPS_KEPT);
    expect(doc.events.filter((e) => e.type === 'offer').at(-1)?.detail).toBe('ice restart');
  });

  it('renders a fold written before offers were remembered as it was counted, and counts its new offers', () => {
    const current = fold(call().offer(A, 5_000, 'ufrag-1').events).sessions.get(SESSION) as SessionFold;
    const older: SessionFold = { ...current, sdpLog: undefined, timeline: current.timeline.map((e, i) => (e.type === 'offer' && i > 0 ? { ...e, detail: 'ice restart', ufrag: undefined } : { ...e, ufrag: undefined })) };
    delete older.sdpLog;
    expect(classifyOffers(older)).toEqual({ iceRestarts: 1, renegotiations: 0, labels: null });
    const next = applySessionEvent(older, { kind: 'signal', t: T0 + 6_000, room: ROOM, node: NODE_1, signal: 'offer', from: A, to: B, iceUfrag: 'ufrag-1', position: `${T0 + 1_000}-0/0` }) as SessionFold;
    const doc = renderSessionDocument(next, RULES);
    // what the older offers carried is unknown: the new one is a restart, as before
    expect(doc).toMatchObject({ ice_restarts: 2, renegotiations: 0 });
    expect(doc.events.filter((e) => e.type === 'offer').map((e) => e.detail)).toEqual([undefined, 'ice restart', 'ice restart']);
  });
});

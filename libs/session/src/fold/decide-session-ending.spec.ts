import { decideSessionEnding } from './decide-session-ending';
import { A, at, B, documentOf, Script } from './session-script.fixtures';

// Section 2's rules as documents show them; RULES: negotiation 30 s, ICE 20 s. The offer is at 1 s, the answer at 2 s.
describe(decideSessionEnding.name, () => {
  describe('before connected', () => {
    // ICE `connected` counts as connected only without a connection state (reportsConnected): here the connection is still `connecting`
    it('a side reporting connection failed after its ICE connected is dtls-failed', () => {
      const s = new Script().answered().state(A, 2_500, { connectionState: 'connecting', iceConnectionState: 'connected' }).state(A, 3_000, { connectionState: 'failed' });
      expect(documentOf(s.events)).toMatchObject({ connection_state: 'failed', failure_reason: 'dtls-failed', end_reason: 'failed', ended_at: at(3_000) });
    });

    it('takes the ICE state reported with the failure: completed and only the connection failed is dtls-failed', () => {
      const s = new Script().answered().state(B, 3_000, { connectionState: 'failed', iceConnectionState: 'completed' });
      expect(documentOf(s.events).failure_reason).toBe('dtls-failed');
    });

    it('is ice-failed when ICE failed too, even after it had connected', () => {
      const s = new Script().answered().state(A, 2_500, { connectionState: 'connecting', iceConnectionState: 'connected' }).state(A, 3_000, { connectionState: 'failed', iceConnectionState: 'failed' });
      expect(documentOf(s.events).failure_reason).toBe('ice-failed');
    });

    it("judges by the reporting side's own ICE, not the other side's", () => {
      const s = new Script().answered().state(B, 2_500, { connectionState: 'connecting', iceConnectionState: 'connected' }).state(A, 2_600, { iceConnectionState: 'checking' }).state(A, 3_000, { connectionState: 'failed' });
      expect(documentOf(s.events).failure_reason).toBe('ice-failed');
    });

    it('judges by the ICE state last reported before the failure in time, whatever order the reports were read in', () => {
      // the ICE report read last happened first; a later ICE state changes nothing
      const s = new Script().answered().state(A, 3_000, { connectionState: 'failed' }).state(A, 3_500, { iceConnectionState: 'checking' }).state(A, 2_500, { connectionState: 'connecting', iceConnectionState: 'connected' });
      expect(documentOf(s.events).failure_reason).toBe('dtls-failed');
    });

    it('a state with a reason and no failed state is client-reported, the reason in failure_detail', () => {
      const s = new Script().answered().state(A, 3_000, { signalingState: 'stable', reason: 'camera refused' });
      expect(documentOf(s.events)).toMatchObject({ connection_state: 'failed', failure_reason: 'client-reported', failure_detail: 'camera refused', end_reason: 'failed' });
    });

    it('an empty reason is client-reported too, and shows in the timeline', () => {
      const s = new Script().answered().state(A, 3_000, { signalingState: 'stable', reason: '' });
      const document = documentOf(s.events);
      expect(document).toMatchObject({ failure_reason: 'client-reported', failure_detail: '' });
      expect(document.events.filter((e) => e.type === 'state').map((e) => e.detail)).toContain('signaling stable, reason: (empty)');
    });

    it('a failed state with a reason is ice-failed, the reason kept in failure_detail', () => {
      const s = new Script().answered().state(A, 3_000, { iceConnectionState: 'failed', reason: 'gave up' });
      expect(documentOf(s.events)).toMatchObject({ failure_reason: 'ice-failed', failure_detail: 'gave up' });
    });

    it('a failure reported without a reason takes the reason that side gives next', () => {
      const s = new Script().answered().state(A, 3_000, { iceConnectionState: 'failed' }).state(B, 3_100, { reason: 'not mine' }).state(A, 3_200, { connectionState: 'closed', reason: 'no route' });
      expect(documentOf(s.events)).toMatchObject({ failure_reason: 'ice-failed', failure_detail: 'no route', ended_at: at(3_000) });
    });

    it('a connection closed without a reason before connected ends nothing by itself', () => {
      const s = new Script().answered().state(A, 3_000, { connectionState: 'closed' });
      expect(documentOf(s.events)).toMatchObject({ connection_state: 'connecting', ended_at: null, end_reason: null });
    });

    it('a side leaving is peer-left-before-connected, its node dying node-lost; end_reason is failed', () => {
      expect(documentOf(new Script().answered().left(B, 3_000, 'bye').events)).toMatchObject({ failure_reason: 'peer-left-before-connected', end_reason: 'failed' });
      expect(documentOf(new Script().answered().left(B, 3_000, 'node-lost').events)).toMatchObject({ failure_reason: 'node-lost', end_reason: 'failed' });
    });
  });

  describe('after connected', () => {
    const live = () => new Script().connected();

    it('a side reporting failed is connection-lost, with its reason', () => {
      const doc = documentOf(live().state(B, 5_000, { connectionState: 'failed', iceConnectionState: 'failed', reason: 'network lost' }).events);
      expect(doc).toMatchObject({ connection_state: 'failed', failure_reason: 'connection-lost', failure_detail: 'network lost', end_reason: 'failed', ended_at: at(5_000) });
    });

    it('a state reporting closed with a reason is a hang-up: closed, end_reason bye, no failure', () => {
      const doc = documentOf(live().state(A, 5_000, { connectionState: 'closed', reason: 'user hung up' }).events);
      expect(doc).toMatchObject({ connection_state: 'closed', failure_reason: null, failure_detail: null, end_reason: 'bye', ended_at: at(5_000) });
      expect(doc.events.at(-1)?.detail).toContain('reason: user hung up');
    });

    it('a state reporting closed without a reason is a hang-up too', () => {
      expect(documentOf(live().state(B, 5_000, { connectionState: 'closed' }).events)).toMatchObject({ connection_state: 'closed', end_reason: 'bye' });
    });

    it("a departure closes it, end_reason the departure's reason", () => {
      for (const reason of ['bye', 'disconnected', 'timeout', 'node-lost', 'kicked'] as const) {
        expect(documentOf(live().left(B, 9_000, reason).events)).toMatchObject({ connection_state: 'closed', failure_reason: null, end_reason: reason });
      }
    });

    it('a hang-up reported before the departure decides end_reason', () => {
      expect(documentOf(live().state(A, 8_000, { connectionState: 'closed' }).left(A, 8_100, 'disconnected').events)).toMatchObject({ end_reason: 'bye', ended_at: at(8_000) });
    });

    it('is live with end_reason null until it ends', () => {
      expect(documentOf(live().events)).toMatchObject({ connection_state: 'connected', end_reason: null, ended_at: null, kind: 'call', trace_id: null });
    });
  });

  describe('recovery', () => {
    it('a call that hit ice-timeout and then connected (an ICE restart) is connected again, the deadline kept in the timeline', () => {
      const s = new Script().answered();
      expect(documentOf(s.events, 23_000)).toMatchObject({ connection_state: 'failed', failure_reason: 'ice-timeout', ended_at: at(22_000) });
      s.offer(A, 25_000, 'ufrag-2').state(A, 26_000, { connectionState: 'connected' });
      const doc = documentOf(s.events);
      expect(doc).toMatchObject({ connection_state: 'connected', failure_reason: null, failure_detail: null, ended_at: null, end_reason: null, ice_restarts: 1 });
      expect(doc.events.find((e) => e.type === 'ice-timeout')).toMatchObject({ by: 'server', t: at(22_000) });
    });

    it('a later bye then closes it as usual', () => {
      const s = new Script().answered().offer(A, 25_000, 'ufrag-2').state(A, 26_000, { connectionState: 'connected' }).left(A, 40_000, 'bye');
      expect(documentOf(s.events)).toMatchObject({ connection_state: 'closed', failure_reason: null, end_reason: 'bye', ended_at: at(40_000) });
    });

    it('a call that hit no-answer and then connected is connected again', () => {
      const s = new Script().joined(A, 0).joined(B, 0).offer(A, 1_000, 'u').signal('answer', B, A, 35_000).state(B, 36_000, { connectionState: 'connected' });
      const doc = documentOf(s.events);
      expect(doc).toMatchObject({ connection_state: 'connected', failure_reason: null, ended_at: null });
      expect(doc.events.some((e) => e.type === 'no-answer' && e.by === 'server')).toBe(true);
    });

    it('a connection lost and then connected again is connected; a later failure decides anew', () => {
      const s = new Script().connected().state(A, 5_000, { connectionState: 'failed', reason: 'first' }).state(A, 6_000, { connectionState: 'connected' });
      expect(documentOf(s.events)).toMatchObject({ connection_state: 'connected', failure_reason: null });
      s.state(B, 9_000, { iceConnectionState: 'failed', reason: 'second' });
      expect(documentOf(s.events)).toMatchObject({ connection_state: 'failed', failure_reason: 'connection-lost', failure_detail: 'second', ended_at: at(9_000) });
    });

    it('a failure before connected, recovered by connecting, leaves no failure', () => {
      const s = new Script().answered().state(A, 3_000, { iceConnectionState: 'failed' }).state(A, 4_000, { iceConnectionState: 'connected' });
      expect(documentOf(s.events)).toMatchObject({ connection_state: 'connected', failure_reason: null, time_to_connected_ms: 3_000 });
    });

    it('a departure is never recovered from', () => {
      const s = new Script().answered().left(B, 3_000, 'disconnected').state(A, 4_000, { connectionState: 'connected' });
      expect(documentOf(s.events)).toMatchObject({ connection_state: 'failed', failure_reason: 'peer-left-before-connected' });
    });

    it('a hang-up is never recovered from', () => {
      const s = new Script().connected().state(A, 5_000, { connectionState: 'closed' }).state(B, 6_000, { connectionState: 'connected' });
      expect(documentOf(s.events)).toMatchObject({ connection_state: 'closed', end_reason: 'bye' });
    });
  });

  describe('order', () => {
    it('between endings at the same millisecond, the rules are checked in their order', () => {
      const s = new Script().answered().left(B, 3_000, 'bye').state(A, 3_000, { iceConnectionState: 'failed' });
      expect(documentOf(s.events).failure_reason).toBe('ice-failed');
      const deadline = new Script().joined(A, 0).joined(B, 0).offer(A, 1_000).state(A, 31_000, { reason: 'gave up' });
      expect(documentOf(deadline.events).failure_reason).toBe('no-answer');
    });

    it('when both sides report a failure, the earlier report decides, whichever was read first', () => {
      const early = new Script().answered().state(B, 3_500, { iceConnectionState: 'failed', reason: 'b' }).state(A, 3_000, { iceConnectionState: 'failed', reason: 'a' });
      expect(documentOf(early.events)).toMatchObject({ failure_detail: 'a', ended_at: at(3_000) });
    });

    it('when both sides report a failure at the same millisecond, side A decides, whichever was read first', () => {
      const ab = new Script().answered().state(A, 3_000, { iceConnectionState: 'failed', reason: 'a' }).state(B, 3_000, { connectionState: 'failed', iceConnectionState: 'connected', reason: 'b' });
      const ba = new Script().answered().state(B, 3_000, { connectionState: 'failed', iceConnectionState: 'connected', reason: 'b' }).state(A, 3_000, { iceConnectionState: 'failed', reason: 'a' });
      expect(documentOf(ab.events)).toEqual(documentOf(ba.events));
      expect(documentOf(ab.events)).toMatchObject({ failure_reason: 'ice-failed', failure_detail: 'a' });
    });
  });
});

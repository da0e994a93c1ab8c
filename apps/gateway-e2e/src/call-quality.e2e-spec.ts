import { parsePrometheusScrape, PrometheusScrape, SignalingClient, uniqueName } from '@sg/testing';
import { SessionPipeline } from './support/session-pipeline';

// Call-quality metrics on the indexer, from the sessions clients report on. A pipeline of its
// own (its own redis-server): the indexer counts every session it reads, so no other file's
// sessions may reach it.
describe('call-quality metrics', () => {
  let pipeline: SessionPipeline;

  beforeAll(async () => {
    pipeline = await SessionPipeline.start({ gateways: 2 });
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it('turns a call the clients report on into call-quality metrics on the indexer', async () => {
    const room = uniqueName('quality');
    const alice = await SignalingClient.join(pipeline.cluster.wsUrl(0, `room=${room}`));
    const bob = await SignalingClient.join(pipeline.cluster.wsUrl(1, `room=${room}`));
    await alice.next('peer-joined');
    alice.send({ type: 'offer', to: bob.peerId, sdp: 'v=0\r\na=ice-ufrag:quality\r\n' });
    await bob.next('offer');
    bob.send({ type: 'answer', to: alice.peerId, sdp: 'v=0\r\na=ice-ufrag:answer\r\n' });
    await alice.next('answer');
    bob.send({ type: 'state', to: alice.peerId, connectionState: 'connected', iceConnectionState: 'connected' });
    alice.send({ type: 'stats', to: bob.peerId, report: { rttMs: 120, packetLossPct: 7, jitterMs: 12, localCandidateType: 'relay', remoteCandidateType: 'srflx' } });
    const node = pipeline.cluster.nodeIds[1];
    const deadline = Date.now() + 10_000;
    let scrape: PrometheusScrape = parsePrometheusScrape('');
    // written by the gateways, read and folded by the indexer within INDEX_MAX_LAG_MS
    while (Date.now() < deadline) {
      scrape = await pipeline.metrics(pipeline.indexers[0]);
      const done = [
        scrape.find('call_sessions_total', { kind: 'call', node }),
        scrape.find('call_rtt_seconds_bucket', { kind: 'call', le: '+Inf' }),
        scrape.find('call_time_to_connected_seconds_bucket', { kind: 'call', le: '+Inf' }),
      ];
      if (done.every((count) => count === 1)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(scrape.find('call_sessions_total', { kind: 'call', node })).toBe(1);
    expect(scrape.find('call_session_failures_total', { kind: 'call', reason: 'ice-failed', node })).toBe(0);
    expect(scrape.find('call_time_to_connected_seconds_bucket', { kind: 'call', le: '+Inf' })).toBe(1);
    expect(scrape.find('call_session_paths_total', { kind: 'call', path: 'relay' })).toBe(1);
    expect(scrape.find('call_rtt_seconds_bucket', { kind: 'call', le: '0.1' })).toBe(0);
    expect(scrape.find('call_rtt_seconds_bucket', { kind: 'call', le: '0.15' })).toBe(1);
    expect(scrape.find('call_packet_loss_ratio_bucket', { kind: 'call', le: '0.05' })).toBe(0);
    expect(scrape.find('call_packet_loss_ratio_bucket', { kind: 'call', le: '0.1' })).toBe(1);
    expect(scrape.find('call_jitter_seconds_bucket', { kind: 'call', le: '0.02' })).toBe(1);
    alice.close();
    bob.close();
  });

});

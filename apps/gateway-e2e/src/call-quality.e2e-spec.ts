import { SignalingClient, uniqueName } from '@sg/testing';
import { SessionPipeline } from './support/session-pipeline';

interface Sample {
  /** The metric a series belongs to: a histogram's `_bucket`, `_sum` and `_count` count as the histogram. */
  metric: string;
  labels: Map<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition, histogram series under their histogram's name. */
function parseScrape(text: string): { samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const histogram = /^(.+)_(bucket|sum|count)$/.exec(sample[1]);
    const metric = histogram && types.get(histogram[1]) === 'histogram' ? histogram[1] : sample[1];
    const labels = new Map([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2]] as [string, string]));
    samples.push({ metric, labels, value: Number(sample[3]) });
  }
  return { samples };
}

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
    let samples: Sample[] = [];
    const value = (metric: string, labels: Record<string, string>): number | undefined =>
      samples.find((sample) => sample.metric === metric && Object.entries(labels).every(([key, wanted]) => sample.labels.get(key) === wanted))?.value;
    // written by the gateways, read and folded by the indexer within INDEX_MAX_LAG_MS
    while (Date.now() < deadline) {
      samples = parseScrape(await pipeline.metrics(pipeline.indexers[0])).samples;
      const done = [value('call_sessions_total', { kind: 'call', node }), value('call_rtt_seconds', { kind: 'call', le: '+Inf' }), value('call_time_to_connected_seconds', { kind: 'call', le: '+Inf' })];
      if (done.every((count) => count === 1)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(value('call_sessions_total', { kind: 'call', node })).toBe(1);
    expect(value('call_session_failures_total', { kind: 'call', reason: 'ice-failed', node })).toBe(0);
    expect(value('call_time_to_connected_seconds', { kind: 'call', le: '+Inf' })).toBe(1);
    expect(value('call_session_paths_total', { kind: 'call', path: 'relay' })).toBe(1);
    expect(value('call_rtt_seconds', { kind: 'call', le: '0.1' })).toBe(0);
    expect(value('call_rtt_seconds', { kind: 'call', le: '0.15' })).toBe(1);
    expect(value('call_packet_loss_ratio', { kind: 'call', le: '0.05' })).toBe(0);
    expect(value('call_packet_loss_ratio', { kind: 'call', le: '0.1' })).toBe(1);
    expect(value('call_jitter_seconds', { kind: 'call', le: '0.02' })).toBe(1);
    alice.close();
    bob.close();
  });

});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisStreamSessionEventSink } from '@sg/cluster';
import { callQualityMetricProviders, METRIC } from '@sg/metrics';
import type { NodeId, PeerId, RoomId, SessionEvent, SessionId, StatsReport } from '@sg/schema';
import { sessionIdFor, SessionRules } from '@sg/session';
import { SqliteSessionStore } from '@sg/store';
import { Counter, Histogram, register } from 'prom-client';
import { RunningIndexer } from '../indexing/testing/running-indexer';
import { CallQualityMetrics } from './call-quality-metrics';
import { CallQualityRecordingStore } from './call-quality-recording-store';

// deadlines short enough for a test, long enough that the scripted connection (1 s after the offer) beats them
const RULES: SessionRules = { negotiationTimeoutMs: 2_000, iceTimeoutMs: 2_000 };
const NODE_1 = 'node-1' as NodeId;
const NODE_2 = 'node-2' as NodeId;

type Script = 'relayed-call' | 'ice-failed' | 'ice-timeout';

/** What two gateway nodes write for one pair of peers (A on node-1, B on node-2), through the real sink. */
function scriptedSession(sinks: RedisStreamSessionEventSink[], room: string, script: Script, t: number): SessionId {
  const r = room as RoomId;
  const [a, b] = ['alice' as PeerId, 'bob' as PeerId];
  const on = (node: 1 | 2, event: SessionEvent): void => sinks[node - 1].record(event);
  const stats = (dt: number, report: StatsReport): void => on(1, { kind: 'stats', t: t + dt, room: r, node: NODE_1, peer: a, to: b, report });
  on(1, { kind: 'peer-joined', t, room: r, node: NODE_1, peer: a, user: null, remoteAddr: '198.51.100.1:40001', userAgent: 'UA-A' });
  on(2, { kind: 'peer-joined', t: t + 1, room: r, node: NODE_2, peer: b, user: null, remoteAddr: '203.0.113.2:40002', userAgent: 'UA-B' });
  on(1, { kind: 'signal', t: t + 10, room: r, node: NODE_1, signal: 'offer', from: a, to: b });
  on(2, { kind: 'signal', t: t + 20, room: r, node: NODE_2, signal: 'answer', from: b, to: a });
  if (script === 'relayed-call') {
    on(2, { kind: 'state', t: t + 1_010, room: r, node: NODE_2, peer: b, to: a, connectionState: 'connected' });
    stats(2_000, { rttMs: 40, packetLossPct: 0, jitterMs: 4, localCandidateType: 'relay', remoteCandidateType: 'srflx' });
    stats(4_000, { rttMs: 180, packetLossPct: 8, jitterMs: 40, localCandidateType: 'relay', remoteCandidateType: 'srflx' });
  }
  if (script === 'ice-failed') on(2, { kind: 'state', t: t + 300, room: r, node: NODE_2, peer: b, to: a, iceConnectionState: 'failed' });
  // ice-timeout: answered, then nothing; the indexer's deadline ends it after RULES.iceTimeoutMs
  return sessionIdFor(r, a, b);
}

async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

async function sampleOf(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await register.getMetricsAsJSON()).find((candidate) => candidate.name === name.replace(/_(bucket|sum|count)$/, '') || candidate.name === name);
  const match = metric?.values.find(
    (value) => ((value as { metricName?: string }).metricName ?? metric.name) === name && Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === wanted),
  );
  return match?.value;
}

// Call-quality metrics from scripted sessions, through the real streams, indexer and SQLite store.
describe('call-quality metrics of indexed sessions', () => {
  const directory = mkdtempSync(join(tmpdir(), 'call-quality-'));
  let redis: Redis;
  let sinks: RedisStreamSessionEventSink[];
  let store: SqliteSessionStore;
  let indexer: RunningIndexer;

  beforeAll(async () => {
    redis = new Redis(`${process.env['TEST_REDIS_URL']}/7`);
    await redis.flushdb();
    const metrics = callQualityMetricProviders.map((provider) => (provider as FactoryProvider).useFactory());
    const callQuality = new CallQualityMetrics(...(metrics as [Counter, Counter, Histogram, Counter, Histogram, Histogram, Histogram]));
    store = new SqliteSessionStore({ path: join(directory, 'sessions.db') });
    indexer = await RunningIndexer.start(redis, new CallQualityRecordingStore(store, RULES, callQuality), RULES, 'ix-quality');
    sinks = [1, 2].map(
      () =>
        new RedisStreamSessionEventSink(redis, { flushIntervalMs: 5, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 10_000 }, { written: () => undefined, failed: () => undefined, dropped: () => undefined, pending: () => undefined }),
    );
    const t = Date.now();
    scriptedSession(sinks, 'quality-relayed', 'relayed-call', t);
    scriptedSession(sinks, 'quality-failed', 'ice-failed', t);
    const timedOut = scriptedSession(sinks, 'quality-timeout', 'ice-timeout', t);
    await Promise.all(sinks.map((sink) => sink.close()));
    await eventually(async () => expect((await store.get(timedOut))?.failure_reason).toBe('ice-timeout'));
  });

  afterAll(async () => {
    await indexer.stop();
    await redis.quit();
    rmSync(directory, { recursive: true, force: true });
  });

  it('counts each session once, by kind and the node of side B', async () => {
    expect(await sampleOf(METRIC.callSessionsTotal, { kind: 'call', node: NODE_2 })).toBe(3);
    expect(await sampleOf(METRIC.callSessionsTotal, { kind: 'probe', node: NODE_2 })).toBe(0);
  });

  it('counts failures by reason and node, a failure the deadline decided too; the other reasons at 0', async () => {
    expect(await sampleOf(METRIC.callSessionFailuresTotal, { kind: 'call', reason: 'ice-failed', node: NODE_2 })).toBe(1);
    expect(await sampleOf(METRIC.callSessionFailuresTotal, { kind: 'call', reason: 'ice-timeout', node: NODE_2 })).toBe(1);
    expect(await sampleOf(METRIC.callSessionFailuresTotal, { kind: 'call', reason: 'no-answer', node: NODE_2 })).toBe(0);
  });

  it('observes the time from offer to connected of the session that connected', async () => {
    expect(await sampleOf(`${METRIC.callTimeToConnectedSeconds}_count`, { kind: 'call' })).toBe(1);
    expect(await sampleOf(`${METRIC.callTimeToConnectedSeconds}_sum`, { kind: 'call' })).toBeCloseTo(1, 3);
  });

  it('counts the relayed session once as relay', async () => {
    expect(await sampleOf(METRIC.callSessionPathsTotal, { kind: 'call', path: 'relay' })).toBe(1);
    expect(await sampleOf(METRIC.callSessionPathsTotal, { kind: 'call', path: 'direct' })).toBe(0);
  });

  it('observes the reported round trip, loss and jitter', async () => {
    // the two reports may be indexed in one batch: the latest is then the one observed
    const reports = (await sampleOf(`${METRIC.callRttSeconds}_count`, { kind: 'call' })) ?? 0;
    expect(reports).toBeGreaterThanOrEqual(1);
    expect(await sampleOf(`${METRIC.callRttSeconds}_bucket`, { kind: 'call', le: '0.2' })).toBe(reports);
    expect(await sampleOf(`${METRIC.callRttSeconds}_bucket`, { kind: 'call', le: '0.15' })).toBe(reports - 1);
    expect(await sampleOf(`${METRIC.callPacketLossRatio}_bucket`, { kind: 'call', le: '0.05' })).toBe(reports - 1);
    expect(await sampleOf(`${METRIC.callPacketLossRatio}_bucket`, { kind: 'call', le: '0.1' })).toBe(reports);
    expect(await sampleOf(`${METRIC.callJitterSeconds}_bucket`, { kind: 'call', le: '0.05' })).toBe(reports);
  });
});

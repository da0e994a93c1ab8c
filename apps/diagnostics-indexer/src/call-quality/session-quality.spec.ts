import type { SessionDocument } from '@sg/schema';
import { qualityChanges, SessionQuality, sessionQuality, UNKNOWN_NODE } from './session-quality';

function quality(overrides: Partial<SessionQuality> = {}): SessionQuality {
  return { kind: 'call', node: 'node-2', failureReason: null, ended: false, timeToConnectedMs: null, relayUsed: null, stats: {}, ...overrides };
}

describe(qualityChanges.name, () => {
  it('counts a session new to the store as started, and nothing else until something happens', () => {
    expect(qualityChanges(null, quality())).toEqual({
      kind: 'call',
      node: 'node-2',
      started: true,
      failed: null,
      connectedSeconds: null,
      path: null,
      rttSeconds: null,
      lossRatio: null,
      jitterSeconds: null,
    });
  });

  it("counts a session whose side B's node is not known yet once it is, or once it fails or ends without it", () => {
    const unknown = quality({ node: UNKNOWN_NODE });
    expect(qualityChanges(null, unknown).started).toBe(false);
    expect(qualityChanges(unknown, unknown).started).toBe(false);
    expect(qualityChanges(unknown, quality()).started).toBe(true);
    expect(qualityChanges(unknown, quality({ node: UNKNOWN_NODE, failureReason: 'no-answer' }))).toMatchObject({ started: true, node: UNKNOWN_NODE, failed: 'no-answer' });
    expect(qualityChanges(unknown, quality({ node: UNKNOWN_NODE, ended: true })).started).toBe(true);
    expect(qualityChanges(quality(), quality({ ended: true })).started).toBe(false);
  });

  it('counts nothing when a write changed nothing (a redelivered batch)', () => {
    const same = quality({ failureReason: 'ice-failed', timeToConnectedMs: 800, relayUsed: true, stats: { rtt_ms: { t: 5, v: 40 } } });
    expect(qualityChanges(same, { ...same, stats: { rtt_ms: { t: 5, v: 40 } } })).toMatchObject({
      started: false,
      failed: null,
      connectedSeconds: null,
      path: null,
      rttSeconds: null,
    });
  });

  it('counts a failure once, when it is decided', () => {
    expect(qualityChanges(quality(), quality({ failureReason: 'ice-timeout' })).failed).toBe('ice-timeout');
    expect(qualityChanges(quality({ failureReason: 'ice-timeout' }), quality({ failureReason: 'ice-timeout' })).failed).toBeNull();
  });

  it('counts a new failure after a recovery (an ICE restart that connected, then failed again)', () => {
    expect(qualityChanges(quality({ timeToConnectedMs: 900 }), quality({ timeToConnectedMs: 900, failureReason: 'connection-lost' })).failed).toBe('connection-lost');
  });

  it('observes the time to connected at the first connection only', () => {
    expect(qualityChanges(quality(), quality({ timeToConnectedMs: 1500 })).connectedSeconds).toBe(1.5);
    expect(qualityChanges(quality({ timeToConnectedMs: 1500 }), quality({ timeToConnectedMs: 1500 })).connectedSeconds).toBeNull();
  });

  it('counts the path once, when the first stats report shows it', () => {
    expect(qualityChanges(quality(), quality({ relayUsed: true })).path).toBe('relay');
    expect(qualityChanges(null, quality({ relayUsed: false })).path).toBe('direct');
    expect(qualityChanges(quality({ relayUsed: false }), quality({ relayUsed: true })).path).toBeNull();
  });

  it('observes each stat of a new report in seconds and as a ratio, a repeated value too', () => {
    const before = quality({ stats: { rtt_ms: { t: 5, v: 40 }, packet_loss_pct: { t: 5, v: 0 }, jitter_ms: { t: 5, v: 3 } } });
    const after = quality({ stats: { rtt_ms: { t: 9, v: 40 }, packet_loss_pct: { t: 9, v: 0 }, jitter_ms: { t: 5, v: 3 } } });
    expect(qualityChanges(before, after)).toMatchObject({ rttSeconds: 0.04, lossRatio: 0, jitterSeconds: null });
  });

  it('drops negative times and bounds loss at 100 %', () => {
    const after = quality({ stats: { rtt_ms: { t: 1, v: -3 }, packet_loss_pct: { t: 1, v: 250 }, jitter_ms: { t: 1, v: -1 } } });
    expect(qualityChanges(null, after)).toMatchObject({ rttSeconds: null, lossRatio: 1, jitterSeconds: null });
  });
});

describe(sessionQuality.name, () => {
  const document = {
    kind: 'probe',
    client_b_node: null,
    ended_at: 1796368872.678,
    failure_reason: 'dtls-failed',
    time_to_connected_ms: null,
    relay_used: false,
  } as unknown as SessionDocument;

  it('reads the document, names a node not yet seen unknown, and copies the stats the fold will change in place', () => {
    const stats = { rtt_ms: { t: 1, v: 20 } };
    const read = sessionQuality(document, { stats });
    stats.rtt_ms.t = 2;
    expect(read).toEqual({ kind: 'probe', node: UNKNOWN_NODE, failureReason: 'dtls-failed', ended: true, timeToConnectedMs: null, relayUsed: false, stats: { rtt_ms: { t: 1, v: 20 } } });
  });
});

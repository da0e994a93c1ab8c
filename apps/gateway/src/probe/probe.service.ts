import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { METRIC } from '@sg/metrics';
import { buildIceServers, PROBE_OUTCOMES, ProbeClient, ProbeHub, ProbeIceCandidate, ProbeOfferResult, ProbeOutcome, ProbePeerFactory, SessionEventSink } from '@sg/room';
import { PROBE_PEER_ID } from '@sg/schema';
import { Counter, Gauge, Histogram } from 'prom-client';
import { GatewayConfig } from '../config/gateway-config';

/** How often a connected probe records its selected pair and round trip. */
const PROBE_STATS_INTERVAL_MS = 5_000;

/** The node's probe peers (PROTOCOL section 1), wired to the gateway's config, session events and metrics. */
@Injectable()
export class ProbeService implements OnApplicationShutdown {
  private readonly hub: ProbeHub;

  constructor(
    config: GatewayConfig,
    factory: ProbePeerFactory,
    events: SessionEventSink,
    @InjectMetric(METRIC.probesTotal) probes: Counter<'outcome'>,
    @InjectMetric(METRIC.probesActive) active: Gauge,
    @InjectMetric(METRIC.probeConnectSeconds) connectSeconds: Histogram,
  ) {
    const outcomes = new Map<ProbeOutcome | 'unavailable', ReturnType<Counter<'outcome'>['labels']>>();
    for (const outcome of [...PROBE_OUTCOMES, 'unavailable' as const]) {
      const child = probes.labels(outcome);
      child.inc(0);
      outcomes.set(outcome, child);
    }
    this.hub = new ProbeHub(
      factory,
      events,
      {
        enabled: config.probe.enabled,
        maxConcurrent: config.probe.maxConcurrent,
        maxSeconds: config.probe.maxSeconds,
        ...(config.probe.iceAddress !== undefined ? { iceAddress: config.probe.iceAddress } : {}),
        nodeId: config.nodeId,
        // the probe's own time-limited TURN credentials, made like every peer's
        iceServers: () => buildIceServers(config.ice, PROBE_PEER_ID, Date.now()),
        statsIntervalMs: PROBE_STATS_INTERVAL_MS,
      },
      {
        refused: () => outcomes.get('unavailable')?.inc(),
        started: () => active.inc(),
        connected: (seconds) => connectSeconds.observe(seconds),
        ended: (outcome) => {
          active.dec();
          outcomes.get(outcome)?.inc();
        },
      },
    );
  }

  offer(client: ProbeClient, sdp: string, iceUfrag?: string): ProbeOfferResult {
    return this.hub.offer(client, sdp, iceUfrag);
  }

  candidate(client: ProbeClient, candidate: ProbeIceCandidate): boolean {
    return this.hub.candidate(client, candidate);
  }

  /** The client's socket closed, whatever the reason: its probe closes with it. */
  clientGone(client: Pick<ProbeClient, 'room' | 'peerId'>): void {
    this.hub.end(client);
  }

  onApplicationShutdown(): void {
    this.hub.closeAll();
  }
}

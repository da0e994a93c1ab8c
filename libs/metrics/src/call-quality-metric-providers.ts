import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { CALL_JITTER_BUCKETS, CALL_PACKET_LOSS_BUCKETS, CALL_RTT_BUCKETS, METRIC, TIME_TO_CONNECTED_BUCKETS } from './metric-names';

/**
 * How the calls are, as the indexer folds them into session documents (PROTOCOL section 2):
 * sessions, failures by reason, time to connected, relay use and the stats clients report.
 * `kind` is the session's (`call` or `probe`); `node` is the gateway node of side B, the
 * peer the offer reached (for a probe, the node that ran it).
 */
export const callQualityMetricProviders = [
  makeCounterProvider({ name: METRIC.callSessionsTotal, help: 'Sessions started (an offer reached its peer), by kind and node of side B.', labelNames: ['kind', 'node'] }),
  makeCounterProvider({
    name: METRIC.callSessionFailuresTotal,
    help: 'Sessions that failed, by kind, failure_reason and node of side B; a session that recovers and fails again counts again.',
    labelNames: ['kind', 'reason', 'node'],
  }),
  makeHistogramProvider({
    name: METRIC.callTimeToConnectedSeconds,
    help: "From a session's offer to its first connected report (time_to_connected_ms).",
    labelNames: ['kind'],
    buckets: TIME_TO_CONNECTED_BUCKETS,
  }),
  makeCounterProvider({
    name: METRIC.callSessionPathsTotal,
    help: "Sessions by the path their first stats report showed: relay (through TURN) or direct.",
    labelNames: ['kind', 'path'],
  }),
  makeHistogramProvider({ name: METRIC.callRttSeconds, help: 'Round-trip times clients report in stats.', labelNames: ['kind'], buckets: CALL_RTT_BUCKETS }),
  makeHistogramProvider({ name: METRIC.callPacketLossRatio, help: 'Packet loss clients report in stats, as a ratio.', labelNames: ['kind'], buckets: CALL_PACKET_LOSS_BUCKETS }),
  makeHistogramProvider({ name: METRIC.callJitterSeconds, help: 'Jitter clients report in stats.', labelNames: ['kind'], buckets: CALL_JITTER_BUCKETS }),
];

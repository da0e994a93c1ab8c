import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import { ICE_NEGOTIATION_BUCKETS, METRIC, REDIS_LATENCY_BUCKETS } from './metric-names';

/** The gateway's metrics as Nest providers (inject with @InjectMetric(METRIC.x)). */
export const gatewayMetricProviders = [
  makeGaugeProvider({ name: METRIC.websocketsActive, help: 'Open signaling WebSockets on this node.' }),
  makeGaugeProvider({ name: METRIC.roomsActive, help: 'Rooms with at least one peer on this node.' }),
  makeCounterProvider({
    name: METRIC.messagesTotal,
    help: 'Signaling frames by type and direction (in: from clients, out: to clients).',
    labelNames: ['msg_type', 'direction'],
  }),
  makeHistogramProvider({
    name: METRIC.iceNegotiationSeconds,
    help: 'Time from an offer reaching its peer to the first connected state report of the pair.',
    buckets: ICE_NEGOTIATION_BUCKETS,
  }),
  makeCounterProvider({ name: METRIC.schemaRejectsTotal, help: 'Client frames refused with schema-error.' }),
  makeHistogramProvider({
    name: METRIC.redisRoundtripSeconds,
    help: 'Round trip of Redis commands on the admission and heartbeat paths.',
    labelNames: ['operation'],
    buckets: REDIS_LATENCY_BUCKETS,
  }),
  makeHistogramProvider({
    name: METRIC.fanoutSeconds,
    help: 'Cross-node delivery latency: publish on one node to hand-off on another.',
    buckets: REDIS_LATENCY_BUCKETS,
  }),
  makeCounterProvider({
    name: METRIC.admissionsTotal,
    help: 'WebSocket admissions by result.',
    labelNames: ['result'],
  }),
  makeCounterProvider({ name: METRIC.peersLeftTotal, help: 'Peers that left rooms, by reason.', labelNames: ['reason'] }),
  makeGaugeProvider({ name: METRIC.sessionEventsPending, help: 'Session events buffered, not yet written to Redis.' }),
  makeCounterProvider({ name: METRIC.sessionEventsWrittenTotal, help: 'Session events written to the stream.' }),
  makeCounterProvider({ name: METRIC.sessionEventWriteFailuresTotal, help: 'Failed session event batch writes (retried).' }),
  makeCounterProvider({ name: METRIC.sessionEventsDroppedTotal, help: 'Session events dropped because the buffer was full.' }),
  makeCounterProvider({ name: METRIC.nodesReapedTotal, help: 'Dead gateway nodes whose peers this node removed.' }),
  makeCounterProvider({
    name: METRIC.rateLimitedTotal,
    help: 'Client messages dropped with rate-limited, by the limit they exceeded.',
    labelNames: ['scope'],
  }),
  makeCounterProvider({
    name: METRIC.rateLimitSyncFailuresTotal,
    help: 'Rate-limit batches Redis did not take: limits are per node until one succeeds.',
  }),
  makeCounterProvider({ name: METRIC.heartbeatTimeoutsTotal, help: 'Sockets closed for not answering a heartbeat ping within HEARTBEAT_INTERVAL_MS.' }),
  makeCounterProvider({ name: METRIC.backpressureClosesTotal, help: 'Peers closed with 1013 because they did not read their socket.' }),
  makeCounterProvider({
    name: METRIC.resumeBufferDroppedTotal,
    help: 'Signals for a peer away from its socket dropped because its resume buffer (RESUME_BUFFER_MAX_MESSAGES) was full.',
  }),
  makeCounterProvider({
    name: METRIC.probesTotal,
    help: 'Probe peers by outcome: connected (at some point), failed, expired (PROBE_MAX_SECONDS before connecting), abandoned (the client left first), unavailable (refused with probe-unavailable).',
    labelNames: ['outcome'],
  }),
  makeGaugeProvider({ name: METRIC.probesActive, help: 'Probe peers running on this node (at most PROBE_MAX_CONCURRENT).' }),
  makeHistogramProvider({
    name: METRIC.probeConnectSeconds,
    help: "Time from a client's first offer to the probe to the probe's own connected state.",
    buckets: ICE_NEGOTIATION_BUCKETS,
  }),
];

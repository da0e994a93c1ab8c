import { Logger, Provider } from '@nestjs/common';
import { type RedisConnection, RedisNodeRegistry, RedisPeerBus, RedisRoomDirectory, RedisStreamSessionEventSink, SESSION_EVENT_SHARDS } from '@sg/cluster';
import { REDIS_COMMANDS, REDIS_SUBSCRIBER } from '@sg/platform';
import { NegotiationClock, NodeRegistry, PeerBus, RoomDirectory, RoomHub, SessionEventSink } from '@sg/room';
import { GatewayConfig } from '../config/gateway-config';
import { SignalingMetrics } from '../metrics/signaling-metrics';
import { SessionTracing } from '../tracing/session-tracing';
import { traceSessionEvents } from '../tracing/tracing-session-event-sink';

const logger = new Logger('GatewayCluster');

/** How long a session event write waits for a replica on a Redis Cluster: a replica on the same network answers within a millisecond. */
const SESSION_EVENTS_REPLICA_ACK_MS = 1_000;

/** The one factory that binds the domain's ports to their Redis adapters. */
export const gatewayClusterProviders: Provider[] = [
  { provide: RoomDirectory, inject: [REDIS_COMMANDS], useFactory: (redis: RedisConnection) => new RedisRoomDirectory(redis) },
  { provide: NodeRegistry, inject: [REDIS_COMMANDS], useFactory: (redis: RedisConnection) => new RedisNodeRegistry(redis) },
  {
    provide: PeerBus,
    inject: [REDIS_COMMANDS, REDIS_SUBSCRIBER],
    useFactory: (publisher: RedisConnection, subscriber: RedisConnection) =>
      new RedisPeerBus(publisher, subscriber, {
        publishFailed: (node, error) => logger.warn(`could not publish to node ${node}: ${String(error)}`),
        malformed: () => logger.warn('dropped a malformed node message'),
      }),
  },
  {
    provide: SessionEventSink,
    inject: [REDIS_COMMANDS, GatewayConfig, SignalingMetrics, SessionTracing],
    // with tracing on, each event passes SessionTracing first (its spans, the session's traceparent)
    useFactory: (redis: RedisConnection, config: GatewayConfig, metrics: SignalingMetrics, tracing: SessionTracing) =>
      traceSessionEvents(tracing, new RedisStreamSessionEventSink(
        redis,
        {
          flushIntervalMs: config.sessionEvents.flushIntervalMs,
          maxBatch: 500,
          maxBuffered: 200_000,
          // SESSION_EVENTS_MAXLEN bounds all shards' streams together
          streamMaxLen: Math.ceil(config.sessionEvents.streamMaxLen / SESSION_EVENT_SHARDS),
          // a master failing over must not take acknowledged events with it (PROTOCOL section 4)
          replicaAckTimeoutMs: config.redis.mode === 'cluster' ? SESSION_EVENTS_REPLICA_ACK_MS : 0,
        },
        {
          written: (events) => metrics.sessionEventsWritten.inc(events),
          failed: (error) => {
            metrics.sessionEventWriteFailures.inc();
            logger.warn(`session events not written yet, will retry: ${String(error)}`);
          },
          dropped: (events) => {
            metrics.sessionEventsDropped.inc(events);
            logger.error(`dropped ${events} session events: buffer full while Redis was unavailable`);
          },
          pending: (events) => metrics.sessionEventsPending.set(events),
        },
      )),
  },
  { provide: NegotiationClock, useFactory: () => new NegotiationClock() },
  {
    provide: RoomHub,
    inject: [GatewayConfig, PeerBus, SignalingMetrics, NegotiationClock],
    useFactory: (config: GatewayConfig, bus: PeerBus, metrics: SignalingMetrics, negotiations: NegotiationClock) =>
      new RoomHub(config.nodeId, bus, {
        delivered: (room, to, type, from) => {
          metrics.message(type, 'out');
          if (type === 'offer' && from !== undefined) negotiations.offerDelivered(room, from, to);
        },
      }),
  },
];

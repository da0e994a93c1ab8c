import { Logger, Provider } from '@nestjs/common';
import { type RedisConnection, RedisResumeDirectory } from '@sg/cluster';
import { REDIS_COMMANDS } from '@sg/platform';
import { HandOverRelay, PeerBus, ResumeDirectory, RoomHub } from '@sg/room';
import { GatewayConfig } from '../config/gateway-config';
import { SignalingMetrics } from '../metrics/signaling-metrics';
import { ResumeService } from './resume.service';

const logger = new Logger('HandOver');

/** Resume: the Redis adapter, and the hand-over relay wired into the hub and the bus. */
export const resumeProviders: Provider[] = [
  {
    provide: ResumeDirectory,
    inject: [REDIS_COMMANDS, GatewayConfig],
    // on a cluster, a node whose slot's master fails over misses beats without being dead: a TTL of grace
    // covers the client learning the promoted replica and the node's next beat
    useFactory: (redis: RedisConnection, config: GatewayConfig) =>
      new RedisResumeDirectory(redis, config.redis.mode === 'cluster' ? Math.max(config.timing.nodeTtlMs, 2 * config.timing.nodeHeartbeatIntervalMs) : 0),
  },
  {
    provide: HandOverRelay,
    inject: [GatewayConfig, ResumeDirectory, PeerBus, RoomHub, SignalingMetrics],
    useFactory: (config: GatewayConfig, directory: ResumeDirectory, bus: PeerBus, hub: RoomHub, metrics: SignalingMetrics) => {
      const relay = new HandOverRelay(
        config.nodeId,
        directory,
        bus,
        {
          bufferLimit: config.resume.bufferMaxMessages,
          // a dead node's peers are held only once it is found dead (NODE_TTL_MS and a beat later)
          bufferTtlMs: config.timing.resumeWindowMs + 2 * config.timing.nodeTtlMs + config.timing.nodeHeartbeatIntervalMs,
        },
        {
          deliverLocal: (room, peerId, frame, type, from) => hub.deliverHere(room, peerId, frame, type, from),
          outcome: (kind) => {
            if (kind !== 'full') return;
            metrics.resumeBufferDropped.inc();
            logger.debug('a lost peer’s resume buffer is full: dropped a signal for it');
          },
          failed: (error) => logger.warn(`could not hand over a frame for a peer away from its node: ${String(error)}`),
        },
      );
      hub.onUndeliverable((room, peerId, frame, type, from, unreachable) => relay.relay(room, peerId, frame, type, from, unreachable));
      bus.onUndelivered((node, message) => hub.undelivered(node, message));
      return relay;
    },
  },
  ResumeService,
];

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { METRIC } from '@sg/metrics';
import { ClusterRateLimiter, LimitedKey, RateLimitStore, rateLimitSubject, SlidingWindowCounter } from '@sg/room';
import { Counter } from 'prom-client';
import { GatewayConfig } from '../config/gateway-config';

/** The limit a dropped message exceeded: the metric label and the error's wording. */
export type RateLimitScope = 'peer' | 'ip' | 'room';

/**
 * How often a node sends its counts and learns the others'. It bounds how far
 * the cluster can overshoot a per-IP or per-room limit (ClusterRateLimiter):
 * 100 ms of the other nodes' traffic, for one Redis call per node per 100 ms.
 */
const SYNC_INTERVAL_MS = 100;

interface PeerLimits {
  readonly own: SlidingWindowCounter;
  readonly shared: readonly LimitedKey[];
}

/** What the limits need to know of a peer. */
export interface RateLimitedPeer {
  readonly room: string;
  readonly remoteAddr: string;
}

/**
 * Message limits per peer (on its own node, exact), per IP and per room
 * (across all nodes, PROTOCOL section 1 `rate-limited`). The relay path never
 * waits for Redis: decisions are local, counts are reconciled in the background.
 */
@Injectable()
export class MessageRateLimitService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MessageRateLimitService.name);
  private readonly limiter = new ClusterRateLimiter();
  private readonly peers = new WeakMap<RateLimitedPeer, PeerLimits>();
  private readonly limitedBy: Record<RateLimitScope, Counter.Internal>;
  private readonly enabled: boolean;
  private timer: NodeJS.Timeout | null = null;
  private syncing = false;
  private syncedShared = true;

  constructor(
    private readonly config: GatewayConfig,
    private readonly store: RateLimitStore,
    @InjectMetric(METRIC.rateLimitedTotal) rateLimited: Counter<'scope'>,
    @InjectMetric(METRIC.rateLimitSyncFailuresTotal) private readonly syncFailures: Counter,
  ) {
    this.limitedBy = { peer: rateLimited.labels('peer'), ip: rateLimited.labels('ip'), room: rateLimited.labels('room') };
    // the series exist from start-up at 0, so the dashboard's panel and increase() see the first refusal
    for (const scope of ['peer', 'ip', 'room']) rateLimited.inc({ scope }, 0);
    const limits = config.rateLimits;
    this.enabled = limits.messagesPerPeer > 0 || limits.messagesPerIp > 0 || limits.messagesPerRoom > 0;
  }

  onApplicationBootstrap(): void {
    if (this.config.rateLimits.messagesPerIp > 0 || this.config.rateLimits.messagesPerRoom > 0) {
      this.timer = setInterval(() => void this.sync(), SYNC_INTERVAL_MS);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Counts one message of `peer`: null when it may pass, else the limit it
   * exceeds. A message over the peer's own limit counts nowhere; one over the
   * IP or room limit still counts against its peer.
   */
  check(peer: RateLimitedPeer, now = Date.now()): RateLimitScope | null {
    if (!this.enabled) return null;
    const limits = this.limitsOf(peer);
    // the peer's own limit first: a flooding peer must not use up its IP's or room's share
    if (!limits.own.tryTake(this.config.rateLimits.messagesPerPeer, now)) return this.limited('peer');
    const refused = this.limiter.tryTake(limits.shared, now);
    if (refused === -1) return null;
    return this.limited(refused === 0 ? 'ip' : 'room');
  }

  private limited(scope: RateLimitScope): RateLimitScope {
    this.limitedBy[scope].inc();
    return scope;
  }

  private limitsOf(peer: RateLimitedPeer): PeerLimits {
    let limits = this.peers.get(peer);
    if (!limits) {
      limits = {
        own: new SlidingWindowCounter(),
        shared: [
          { key: `ip:${rateLimitSubject(peer.remoteAddr)}`, limit: this.config.rateLimits.messagesPerIp },
          { key: `room:${peer.room}`, limit: this.config.rateLimits.messagesPerRoom },
        ],
      };
      this.peers.set(peer, limits);
    }
    return limits;
  }

  private async sync(): Promise<void> {
    // a slow Redis must not stack calls up: the next interval sends what accumulated
    if (this.syncing) return;
    const batch = this.limiter.drain(Date.now());
    if (batch.length === 0) return;
    this.syncing = true;
    try {
      this.limiter.reconcile(batch, await this.store.add(batch));
      if (!this.syncedShared) this.logger.log('message limits are shared across nodes again');
      this.syncedShared = true;
    } catch (error) {
      // the batch's events stay counted on this node: each node now holds the limits on its own
      this.syncFailures.inc();
      if (this.syncedShared) this.logger.warn(`Redis unavailable, message limits are per node until it answers: ${String(error)}`);
      this.syncedShared = false;
    } finally {
      this.syncing = false;
    }
  }
}

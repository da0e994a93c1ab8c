import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { METRIC } from '@sg/metrics';
import { ConnectionAttemptLimiter, JoinAttempt, rateLimitSubject } from '@sg/room';
import { Counter } from 'prom-client';
import type { WebSocket } from 'ws';
import { GatewayConfig } from '../config/gateway-config';
import { CLOSE_CODE } from '../signaling/close-codes';

/**
 * Limits on sockets (PROTOCOL section 1): the per-node cap (1013), connection
 * attempts per address across all nodes (4429), and the count of peers closed
 * for backpressure. Refusals follow the admission pattern: the upgrade is
 * accepted, nothing is sent, and the socket is closed with the code.
 */
@Injectable()
export class ConnectionLimitsService {
  private readonly logger = new Logger(ConnectionLimitsService.name);
  private countingShared = true;

  constructor(
    private readonly config: GatewayConfig,
    private readonly attempts: ConnectionAttemptLimiter,
    @InjectMetric(METRIC.admissionsTotal) private readonly admissions: Counter<'result'>,
    @InjectMetric(METRIC.backpressureClosesTotal) private readonly backpressure: Counter,
  ) {}

  /** MAX_CONNECTIONS: whether this node takes one more socket besides the `open` ones. */
  hasRoomFor(open: number): boolean {
    const max = this.config.limits.maxConnections;
    return max === 0 || open < max;
  }

  refuseOverloaded(ws: WebSocket): void {
    this.admissions.labels('overloaded').inc();
    ws.close(CLOSE_CODE.tryAgainLater, 'overloaded');
  }

  /** Counts a connection attempt from `remoteAddr`; false after closing the socket with 4429. */
  async admitAttempt(ws: WebSocket, remoteAddr: string): Promise<boolean> {
    const { allowed, shared } = await this.attempts.attempt(rateLimitSubject(remoteAddr));
    this.countedAcrossNodes(shared);
    if (allowed) return true;
    this.refuseRateLimited(ws);
    return false;
  }

  /** Counts an attempt whose socket is gone already: a client that gives up fast still uses up its limit. */
  async countAttempt(remoteAddr: string): Promise<void> {
    const { shared } = await this.attempts.attempt(rateLimitSubject(remoteAddr));
    this.countedAcrossNodes(shared);
  }

  /**
   * The attempt from `remoteAddr` for a join that counts it itself (RoomDirectory.countsAttempts),
   * or null when attempts are not limited; the join then answers for it (countedWithJoin).
   */
  attemptWithJoin(remoteAddr: string): JoinAttempt | null {
    return this.attempts.attemptWithJoin(rateLimitSubject(remoteAddr));
  }

  /** A join counted its attempt in Redis: across nodes; false after closing the socket with 4429. */
  countedWithJoin(ws: WebSocket, allowed: boolean): boolean {
    this.countedAcrossNodes(true);
    if (!allowed) this.refuseRateLimited(ws);
    return allowed;
  }

  backpressureClosed(): void {
    this.backpressure.inc();
  }

  private countedAcrossNodes(shared: boolean): void {
    if (shared === this.countingShared) return;
    this.countingShared = shared;
    if (shared) this.logger.log('connection attempts are counted across nodes again');
    else this.logger.warn('Redis unavailable: connection attempts are counted per node');
  }

  private refuseRateLimited(ws: WebSocket): void {
    this.admissions.labels('rate-limited').inc();
    ws.close(CLOSE_CODE.tooManyConnections, 'too many connection attempts');
  }

}

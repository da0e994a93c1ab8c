import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { METRIC } from '@sg/metrics';
import { PEER_LEFT_REASONS, type PeerLeftReason } from '@sg/schema';
import { Counter, Gauge, Histogram } from 'prom-client';

export type AdmissionResult = 'admitted' | 'full' | 'bad-request' | 'unauthorized' | 'forbidden' | 'unavailable';

/** Every admission result the gateway counts, its own refusals before admission included. */
const ADMISSION_RESULTS: readonly string[] = ['admitted', 'full', 'bad-request', 'unauthorized', 'forbidden', 'unavailable', 'overloaded', 'rate-limited'];

type Direction = 'in' | 'out';

const DIRECTIONS: readonly Direction[] = ['in', 'out'];

/** Frames of one type and direction counted since Prometheus last read the counter. */
interface PendingCount {
  count: number;
}

/**
 * The gateway's metrics, cheap on the relay path. Frames (two counts per relayed signal)
 * are counted in plain numbers and added to `signaling_messages_total` when it is read:
 * prom-client's labelled inc(), a bound child's too, hashes and validates its label set
 * on every call.
 */
@Injectable()
export class SignalingMetrics {
  private readonly pendingMessages: Record<Direction, Map<string, PendingCount>> = { in: new Map(), out: new Map() };

  constructor(
    @InjectMetric(METRIC.websocketsActive) readonly websocketsActive: Gauge,
    @InjectMetric(METRIC.roomsActive) readonly roomsActive: Gauge,
    @InjectMetric(METRIC.messagesTotal) private readonly messages: Counter<'msg_type' | 'direction'>,
    @InjectMetric(METRIC.iceNegotiationSeconds) readonly iceNegotiation: Histogram,
    @InjectMetric(METRIC.schemaRejectsTotal) readonly schemaRejects: Counter,
    @InjectMetric(METRIC.redisRoundtripSeconds) private readonly redisRoundtrip: Histogram<'operation'>,
    @InjectMetric(METRIC.fanoutSeconds) readonly fanout: Histogram,
    @InjectMetric(METRIC.admissionsTotal) private readonly admissions: Counter<'result'>,
    @InjectMetric(METRIC.peersLeftTotal) private readonly peersLeft: Counter<'reason'>,
    @InjectMetric(METRIC.sessionEventsPending) readonly sessionEventsPending: Gauge,
    @InjectMetric(METRIC.sessionEventsWrittenTotal) readonly sessionEventsWritten: Counter,
    @InjectMetric(METRIC.sessionEventWriteFailuresTotal) readonly sessionEventWriteFailures: Counter,
    @InjectMetric(METRIC.sessionEventsDroppedTotal) readonly sessionEventsDropped: Counter,
    @InjectMetric(METRIC.nodesReapedTotal) readonly nodesReaped: Counter,
    @InjectMetric(METRIC.resumeBufferDroppedTotal) readonly resumeBufferDropped: Counter,
    @InjectMetric(METRIC.heartbeatTimeoutsTotal) readonly heartbeatTimeouts: Counter,
  ) {
    // every labelled series exists from start-up at 0, so dashboards and increase() see the first event
    for (const result of ADMISSION_RESULTS) admissions.inc({ result }, 0);
    for (const reason of PEER_LEFT_REASONS) peersLeft.inc({ reason }, 0);
    // prom-client calls a metric's `collect` (a CounterConfiguration hook) on every read of it
    const counter = messages as Counter<'msg_type' | 'direction'> & { collect?: (this: unknown) => void | Promise<void> };
    const addPending = () => this.addPendingMessages();
    const previous = counter.collect;
    counter.collect = function (this: unknown) {
      addPending();
      return previous?.call(this);
    };
  }

  /** Counts one frame; `type` is a protocol message type or `invalid`, never free text. */
  message(type: string, direction: Direction): void {
    const pending = this.pendingMessages[direction].get(type);
    if (pending) pending.count++;
    else this.pendingMessages[direction].set(type, { count: 1 });
  }

  admission(result: AdmissionResult): void {
    this.admissions.labels(result).inc();
  }

  peerLeft(reason: PeerLeftReason): void {
    this.peersLeft.labels(reason).inc();
  }

  private addPendingMessages(): void {
    for (const direction of DIRECTIONS) {
      for (const [type, pending] of this.pendingMessages[direction]) {
        if (pending.count === 0) continue;
        this.messages.inc({ msg_type: type, direction }, pending.count);
        pending.count = 0;
      }
    }
  }

  /** Times a Redis call on a control path (admission, leave, heartbeat). */
  async timeRedis<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const end = this.redisRoundtrip.labels(operation).startTimer();
    try {
      return await call();
    } finally {
      end();
    }
  }
}

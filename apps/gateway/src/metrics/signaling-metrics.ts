import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { METRIC } from '@sg/metrics';
import { PEER_LEFT_REASONS, type PeerLeftReason } from '@sg/schema';
import { Counter, Gauge, Histogram } from 'prom-client';

export type AdmissionResult = 'admitted' | 'full' | 'bad-request' | 'unauthorized' | 'forbidden' | 'unavailable';

/** Every admission result the gateway counts, its own refusals before admission included. */
const ADMISSION_RESULTS: readonly string[] = ['admitted', 'full', 'bad-request', 'unauthorized', 'forbidden', 'unavailable', 'overloaded', 'rate-limited'];

type Direction = 'in' | 'out';

/**
 * The gateway's metrics with label children bound once: a labelled inc() on
 * the relay path would otherwise hash its label set on every message.
 */
@Injectable()
export class SignalingMetrics {
  private readonly messageCounters = {
    in: new Map<string, ReturnType<Counter<'msg_type' | 'direction'>['labels']>>(),
    out: new Map<string, ReturnType<Counter<'msg_type' | 'direction'>['labels']>>(),
  };

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
  ) {
    // every labelled series exists from start-up at 0, so dashboards and increase() see the first event
    for (const result of ADMISSION_RESULTS) admissions.inc({ result }, 0);
    for (const reason of PEER_LEFT_REASONS) peersLeft.inc({ reason }, 0);
  }

  /** Counts one frame; `type` is a protocol message type or `invalid`, never free text. */
  message(type: string, direction: Direction): void {
    const counters = this.messageCounters[direction];
    let child = counters.get(type);
    if (!child) {
      child = this.messages.labels(type, direction);
      counters.set(type, child);
    }
    child.inc();
  }

  admission(result: AdmissionResult): void {
    this.admissions.labels(result).inc();
  }

  peerLeft(reason: PeerLeftReason): void {
    this.peersLeft.labels(reason).inc();
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

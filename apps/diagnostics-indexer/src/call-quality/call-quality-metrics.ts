import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { METRIC } from '@sg/metrics';
import { SESSION_FAILURE_REASONS, SESSION_KINDS } from '@sg/schema';
import { Counter, Histogram } from 'prom-client';
import type { QualityChanges } from './session-quality';

/** Where the changes a session write made are counted. */
export interface CallQualityRecorder {
  record(changes: QualityChanges): void;
}

/** The call-quality metrics (`callQualityMetricProviders`), fed with what each session write changed. */
@Injectable()
export class CallQualityMetrics implements CallQualityRecorder {
  private readonly nodesSeen = new Set<string>();

  constructor(
    @InjectMetric(METRIC.callSessionsTotal) private readonly sessions: Counter<'kind' | 'node'>,
    @InjectMetric(METRIC.callSessionFailuresTotal) private readonly failures: Counter<'kind' | 'reason' | 'node'>,
    @InjectMetric(METRIC.callTimeToConnectedSeconds) private readonly timeToConnected: Histogram<'kind'>,
    @InjectMetric(METRIC.callSessionPathsTotal) private readonly paths: Counter<'kind' | 'path'>,
    @InjectMetric(METRIC.callRttSeconds) private readonly rtt: Histogram<'kind'>,
    @InjectMetric(METRIC.callPacketLossRatio) private readonly loss: Histogram<'kind'>,
    @InjectMetric(METRIC.callJitterSeconds) private readonly jitter: Histogram<'kind'>,
  ) {
    // every series whose labels are known up front exists from start-up at 0, so rate() and increase() see the first event
    for (const kind of SESSION_KINDS) {
      for (const path of ['relay', 'direct']) paths.inc({ kind, path }, 0);
      for (const histogram of [timeToConnected, rtt, loss, jitter]) histogram.zero({ kind });
    }
  }

  record(changes: QualityChanges): void {
    const { kind, node } = changes;
    this.seeNode(node);
    if (changes.started) this.sessions.inc({ kind, node });
    if (changes.failed) this.failures.inc({ kind, reason: changes.failed, node });
    if (changes.connectedSeconds !== null) this.timeToConnected.observe({ kind }, changes.connectedSeconds);
    if (changes.path) this.paths.inc({ kind, path: changes.path });
    if (changes.rttSeconds !== null) this.rtt.observe({ kind }, changes.rttSeconds);
    if (changes.lossRatio !== null) this.loss.observe({ kind }, changes.lossRatio);
    if (changes.jitterSeconds !== null) this.jitter.observe({ kind }, changes.jitterSeconds);
  }

  /** A node's series at 0 from its first session, before its first failure: increase() then counts that failure. */
  private seeNode(node: string): void {
    if (this.nodesSeen.has(node)) return;
    this.nodesSeen.add(node);
    for (const kind of SESSION_KINDS) {
      this.sessions.inc({ kind, node }, 0);
      for (const reason of SESSION_FAILURE_REASONS) this.failures.inc({ kind, reason, node }, 0);
    }
  }
}

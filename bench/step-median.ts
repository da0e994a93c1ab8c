import { failReason, StepRecord } from './report';
import { percentileOfUnsorted } from './util/stats';

/** The middle value (nearest rank, as the bench's other percentiles): of 3 runs, the middle one. */
function median(values: readonly number[]): number {
  return percentileOfUnsorted(values, 50);
}

/**
 * One step measured several times, alternating with the other servers, as one record: the
 * median of each figure, so that one disturbed run moves no ratio. Losses and errors add
 * up over the runs (one lost frame in any run fails the step), and the max is the largest.
 */
export function medianStep(runs: readonly StepRecord[], p99LimitMs: number): StepRecord {
  if (runs.length === 0) throw new Error('medianStep: no runs');
  if (runs.length === 1) return runs[0];
  const of = (figure: (run: StepRecord) => number) => median(runs.map(figure));
  const redis = runs.map((run) => run.redisCpuUsPerMsg);
  // the load-side figures (rate achieved, load CPU, buffers) of the run whose p99 is the median
  const middle = [...runs].sort((a, b) => a.result.latency.p99 - b.result.latency.p99)[(runs.length - 1) >> 1];
  const result = {
    ...middle.result,
    sent: runs.reduce((sum, run) => sum + run.result.sent, 0),
    received: runs.reduce((sum, run) => sum + run.result.received, 0),
    lost: runs.reduce((sum, run) => sum + run.result.lost, 0),
    errors: runs.reduce((sum, run) => sum + run.result.errors, 0),
    errorSamples: runs.flatMap((run) => run.result.errorSamples).slice(0, 5),
    latency: {
      count: runs.reduce((sum, run) => sum + run.result.latency.count, 0),
      p50: of((run) => run.result.latency.p50),
      p99: of((run) => run.result.latency.p99),
      max: Math.max(...runs.map((run) => run.result.latency.max)),
      mean: of((run) => run.result.latency.mean),
    },
  };
  const reason = failReason(result, p99LimitMs);
  return {
    kind: middle.kind,
    rate: middle.rate,
    result,
    serverCpuUsPerMsg: of((run) => run.serverCpuUsPerMsg),
    serverStatUsPerMsg: of((run) => run.serverStatUsPerMsg),
    serverCpuShare: of((run) => run.serverCpuShare),
    redisCpuUsPerMsg: redis.every((value) => value !== undefined) ? median(redis as number[]) : undefined,
    otherCpuShare: Math.max(...runs.map((run) => run.otherCpuShare)),
    attempts: runs.reduce((sum, run) => sum + run.attempts, 0),
    pass: reason === undefined,
    failReason: reason,
    runs,
  };
}

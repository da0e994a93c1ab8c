import { ConnectResult, StepResult } from './load/ipc';
import { SignalKind } from './load/payloads';
import { RelayBenchOptions } from './options';

/** One measured step of one server. */
export interface StepRecord {
  readonly kind: SignalKind;
  readonly rate: number;
  readonly result: StepResult;
  /** Server CPU (all its processes) per relayed message, in microseconds. */
  readonly serverCpuUsPerMsg: number;
  /** The same from utime+stime in /proc/<pid>/stat (10 ms resolution), as a cross-check. */
  readonly serverStatUsPerMsg: number;
  /** Server CPU over the step as a share of one core. */
  readonly serverCpuShare: number;
  readonly redisCpuUsPerMsg: number | undefined;
  /**
   * CPU used on the server's or the load's core by processes outside the bench, as a
   * share of one core (the larger of the two): above a few percent the step was disturbed.
   */
  readonly otherCpuShare: number;
  /** Runs of this step; more than one when other processes disturbed the earlier ones. */
  readonly attempts: number;
  readonly pass: boolean;
  readonly failReason: string | undefined;
}

export interface ServerRecord {
  readonly name: string;
  readonly description: string;
  readonly connect: ConnectResult | undefined;
  readonly steps: StepRecord[];
  readonly error: string | undefined;
}

/** The load process near a full core, or sending late: the step measured the load, not the server. */
export function loadBound(result: StepResult): boolean {
  return result.loadCpuShare > 0.85 || result.achievedRate < 0.97 * result.targetRate;
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 1024 ? 2 : 1)} KB`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Why a step ends the stepping, or undefined when it passes. */
export function failReason(result: StepResult, p99LimitMs: number): string | undefined {
  if (result.lost > 0) return `${result.lost} lost`;
  if (result.errors > 0) return `${result.errors} errors: ${result.errorSamples[0] ?? ''}`;
  if (!(result.latency.p99 <= p99LimitMs)) return `p99 > ${p99LimitMs} ms`;
  return undefined;
}

function sizeLabel(record: ServerRecord, kind: SignalKind): string {
  const bytes = record.connect?.frameBytes[kind];
  return bytes === undefined ? kind : `${kind} ${kb(bytes)}`;
}

/** Every step, in the order run. */
export function stepsTable(records: readonly ServerRecord[]): string {
  const rows: string[][] = [];
  for (const record of records) {
    for (const step of record.steps) {
      const r = step.result;
      rows.push([
        record.name,
        sizeLabel(record, step.kind),
        String(step.rate),
        fixed(r.achievedRate, 0),
        fixed(r.latency.p50, 2),
        fixed(r.latency.p99, 2),
        fixed(r.latency.max, 1),
        String(r.lost),
        fixed(step.serverCpuUsPerMsg, 1),
        fixed(step.serverCpuShare * 100, 0),
        fixed(step.redisCpuUsPerMsg, 1),
        fixed(r.loadCpuShare * 100, 0),
        fixed(step.otherCpuShare * 100, 0),
        (step.failReason ?? 'ok') + (loadBound(r) ? ' (load-bound)' : ''),
      ]);
    }
  }
  return table(
    ['server', 'message', 'rate/s', 'sent/s', 'p50 ms', 'p99 ms', 'max ms', 'lost', 'server CPU us/msg', 'server core %', 'redis CPU us/msg', 'load core %', 'other %', 'verdict'],
    rows,
  );
}

function maxPassingRate(steps: readonly StepRecord[], kind: SignalKind, rates: readonly number[]): string {
  const ofKind = steps.filter((s) => s.kind === kind);
  if (ofKind.length === 0) return '-';
  const passing = ofKind.filter((s) => s.pass).map((s) => s.rate);
  const last = ofKind[ofKind.length - 1];
  // a limit the load process hit says nothing about the server
  const note = loadBound(last.result) ? ' (load-bound)' : '';
  if (passing.length === 0) return `< ${ofKind[0].rate}${note}`;
  const best = Math.max(...passing);
  // every configured rate passed: the server's limit lies above what was tried
  return (ofKind.every((s) => s.pass) && best === Math.max(...rates) ? `>= ${best}` : String(best)) + note;
}

/** The step of `kind` at `rate`, if it ran. */
export function stepAt(record: ServerRecord | undefined, kind: SignalKind, rate: number): StepRecord | undefined {
  return record?.steps.find((s) => s.kind === kind && s.rate === rate);
}

/** One line per server and size: the max rate and the figures at the comparison rate. */
export function summaryTable(records: readonly ServerRecord[], options: RelayBenchOptions): string {
  const bare = records.find((r) => r.name === 'bare');
  const rows: string[][] = [];
  for (const kind of options.sizes) {
    for (const record of records) {
      if (record.error && !record.steps.some((s) => s.kind === kind)) {
        rows.push([record.name, kind, 'failed (see below)', '-', '-', '-', '-', '-', '-', '-']);
        continue;
      }
      const at = stepAt(record, kind, options.ratioRate);
      const base = stepAt(bare, kind, options.ratioRate);
      const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`);
      rows.push([
        record.name,
        sizeLabel(record, kind),
        maxPassingRate(record.steps, kind, options.rates),
        fixed(at?.result.latency.p50, 2),
        fixed(at?.result.latency.p99, 2),
        fixed(at?.serverCpuUsPerMsg, 1),
        fixed(at?.redisCpuUsPerMsg, 1),
        record.name === 'bare' ? '1.00x' : ratio(at?.result.latency.p99, base?.result.latency.p99),
        record.name === 'bare' ? '1.00x' : ratio(at?.serverCpuUsPerMsg, base?.serverCpuUsPerMsg),
        at && base ? `${(at.result.latency.p99 - base.result.latency.p99 >= 0 ? '+' : '')}${(at.result.latency.p99 - base.result.latency.p99).toFixed(2)}` : '-',
      ]);
    }
  }
  const r = options.ratioRate;
  return table(
    [
      'server',
      'message',
      `max rate/s, p99 < ${options.p99LimitMs} ms`,
      `p50 ms @${r}`,
      `p99 ms @${r}`,
      `server CPU us/msg @${r}`,
      `redis CPU us/msg @${r}`,
      'p99 / bare',
      'CPU / bare',
      'p99 - bare ms',
    ],
    rows,
  );
}

/** The product's targets, checked against the bare relay of the same run. */
export function targetLines(records: readonly ServerRecord[], options: RelayBenchOptions): string[] {
  const byName = new Map(records.map((r) => [r.name, r]));
  const bare = byName.get('bare');
  const lines: string[] = [];
  if (!bare) {
    return ['targets: not checked (no bare relay in this run)', ...records.filter((r) => r.error).map((r) => `${r.name} FAILED: ${r.error}`)];
  }
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  for (const kind of options.sizes) {
    const base = stepAt(bare, kind, options.ratioRate);
    if (!base) continue;
    const one = stepAt(byName.get('gateway-1'), kind, options.ratioRate);
    if (one) {
      const p99 = one.result.latency.p99 / base.result.latency.p99;
      const cpu = one.serverCpuUsPerMsg / base.serverCpuUsPerMsg;
      lines.push(
        `gateway-1 ${kind} @${options.ratioRate}/s: p99 ${p99.toFixed(2)}x bare (target <= 1.5x) ${verdict(p99 <= 1.5)}; ` +
          `CPU/msg ${cpu.toFixed(2)}x bare (target <= 1.5x) ${verdict(cpu <= 1.5)}`,
      );
    }
    const two = stepAt(byName.get('gateway-2'), kind, options.ratioRate);
    if (two) {
      const extra = two.result.latency.p99 - base.result.latency.p99;
      lines.push(
        `gateway-2 ${kind} @${options.ratioRate}/s: p99 bare + ${extra.toFixed(2)} ms (target <= bare + 1 ms) ${verdict(extra <= 1)}; ` +
          `CPU/msg ${(two.serverCpuUsPerMsg / base.serverCpuUsPerMsg).toFixed(2)}x bare (both nodes), Redis ${fixed(two.redisCpuUsPerMsg, 1)} us/msg`,
      );
    }
    const baseline = stepAt(byName.get('gateway-1-baseline'), kind, options.ratioRate);
    if (one && baseline) {
      const cpu = one.serverCpuUsPerMsg / baseline.serverCpuUsPerMsg;
      const p99 = one.result.latency.p99 / baseline.result.latency.p99;
      lines.push(
        `gateway-1 vs gateway-1-baseline ${kind} @${options.ratioRate}/s: CPU/msg ${cpu.toFixed(3)}x (target <= 1.05x) ${verdict(cpu <= 1.05)}; ` +
          `p99 ${p99.toFixed(3)}x (target <= 1.05x) ${verdict(p99 <= 1.05)}`,
      );
    }
    const peerjs = stepAt(byName.get('peerjs'), kind, options.ratioRate);
    if (peerjs) {
      lines.push(
        `peerjs ${kind} @${options.ratioRate}/s: p99 ${(peerjs.result.latency.p99 / base.result.latency.p99).toFixed(2)}x bare, ` +
          `CPU/msg ${(peerjs.serverCpuUsPerMsg / base.serverCpuUsPerMsg).toFixed(2)}x bare`,
      );
    }
  }
  for (const record of records) if (record.error) lines.push(`${record.name} FAILED: ${record.error}`);
  return lines;
}

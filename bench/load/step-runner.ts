import { performance } from 'node:perf_hooks';
import { summarizeMicros } from '../util/stats';
import { BenchPeer, ControlFrame } from './bench-peer';
import { StepKind, StepResult } from './ipc';
import { SignalKind, Stamp } from './payloads';

/** Stamps use performance.now() in ns: the load process's own clock for send and receive. */
const nowNs = () => Math.round(performance.now() * 1e6);

/**
 * Runs fixed-rate steps over connected rooms and records one-way latency.
 * Open loop: frames leave on schedule whether or not earlier ones arrived, so a
 * server that falls behind shows growing latency rather than a slower sender. Each
 * timer tick sends every frame due by then, round-robin over the peers: with 1 ms
 * ticks, arrivals are spread as independent peers would spread them.
 */
export class StepRunner {
  private senders: BenchPeer[] = [];
  private currentStep = -1;
  private latencies = new Float64Array(0);
  private received = 0;
  private late = 0;
  private errors = 0;
  private errorSamples: string[] = [];

  /** Hook for BenchPeer: a stamped frame arrived. */
  readonly onStamp = (stamp: Stamp): void => {
    if (stamp.step !== this.currentStep) {
      this.late++;
      return;
    }
    if (this.received < this.latencies.length) this.latencies[this.received] = (nowNs() - stamp.ns) / 1000;
    this.received++;
  };

  /** Hook for BenchPeer: a control frame arrived; during a step only errors are expected. */
  readonly onControl = (frame: ControlFrame): void => {
    const type = String(frame.type);
    if (['error', 'ERROR', 'EXPIRE', 'LEAVE', 'ID-TAKEN', 'peer-left', 'unparsable'].includes(type)) {
      this.errors++;
      if (this.errorSamples.length < 3) this.errorSamples.push(JSON.stringify(frame).slice(0, 300));
    }
  };

  /** Each room's two peers, interleaved so consecutive frames go to different rooms. */
  setRooms(rooms: readonly (readonly [BenchPeer, BenchPeer])[]): void {
    this.senders = rooms.flatMap(([a, b]) => [a, b]);
    for (const peer of this.senders) {
      peer.socket.on('close', (code) => {
        this.errors++;
        if (this.errorSamples.length < 3) this.errorSamples.push(`socket closed by server, code ${code}`);
      });
    }
  }

  async run(step: number, kind: StepKind, rate: number, durationMs: number, drainMs: number, tickMs: number): Promise<StepResult> {
    const total = Math.max(1, Math.round((rate * durationMs) / 1000));
    this.currentStep = step;
    this.latencies = new Float64Array(total);
    this.received = 0;
    this.late = 0;
    this.errors = 0;
    this.errorSamples = [];
    const senders = this.senders;
    const n = senders.length;
    const kindOf = (i: number): SignalKind => (kind === 'mixed' ? (i % 2 === 0 ? 'offer' : 'candidate') : kind);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    let maxBuffered = 0;

    let sent = 0;
    let ticks = 0;
    const startMs = performance.now();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - startMs) * rate) / 1000));
        while (sent < due) {
          const peer = senders[sent % n];
          peer.send(kindOf(sent), `${step}.${nowNs()}`);
          sent++;
        }
        if (++ticks % 50 === 0) maxBuffered = Math.max(maxBuffered, ...senders.map((p) => p.socket.bufferedAmount));
        if (sent >= total) resolve();
        else setTimeout(tick, tickMs);
      };
      tick();
    });
    const sendMs = performance.now() - startMs;
    for (const peer of senders) maxBuffered = Math.max(maxBuffered, peer.socket.bufferedAmount);

    const drainDeadline = performance.now() + drainMs;
    while (this.received < sent && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 5));
    // frames after this point are counted as late in the next step
    this.currentStep = -1;

    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - wallBefore;
    const received = Math.min(this.received, total);
    return {
      step,
      kind,
      targetRate: rate,
      sent,
      received,
      lost: sent - received,
      achievedRate: (sent * 1000) / Math.max(sendMs, durationMs),
      latency: summarizeMicros(this.latencies.subarray(0, received)),
      late: this.late,
      errors: this.errors,
      errorSamples: this.errorSamples,
      loadCpuShare: (cpu.user + cpu.system) / 1000 / wallMs,
      maxBufferedBytes: maxBuffered,
    };
  }
}

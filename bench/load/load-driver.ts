import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pinnedCommand } from '../util/pinning';
import { ConnectResult, JoinResult, StepKind, StepResult, WorkerCommand, WorkerReply } from './ipc';
import { LoadTarget } from './load-target';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** The parent's handle on a load worker process pinned to `core`. */
export class LoadDriver {
  private readonly child: ChildProcess;
  private pending: ((reply: WorkerReply) => void) | undefined;
  private readonly exited: Promise<void>;

  constructor(core: number) {
    const [command, args] = pinnedCommand(core, process.execPath, ['--import', 'tsx', resolve(__dirname, 'load-worker.ts')]);
    this.child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (reply: WorkerReply) => {
      const pending = this.pending;
      this.pending = undefined;
      pending?.(reply);
    });
    this.exited = new Promise((done) => this.child.once('exit', () => done()));
    void this.exited.then(() => this.pending?.({ ok: false, error: 'load worker exited' }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  async connect(target: LoadTarget, rooms: number, roomPrefix: string): Promise<ConnectResult> {
    const reply = await this.call({ cmd: 'connect', target, rooms, roomPrefix });
    if (!('connected' in reply)) throw new Error('unexpected reply to connect');
    return reply.connected;
  }

  /** Opens `rooms` idle rooms of two, `concurrency` rooms at a time, and times it. */
  async join(target: LoadTarget, rooms: number, roomPrefix: string, concurrency: number): Promise<JoinResult> {
    const reply = await this.call({ cmd: 'join', target, rooms, roomPrefix, concurrency });
    if (!('joined' in reply)) throw new Error('unexpected reply to join');
    return reply.joined;
  }

  async step(step: number, kind: StepKind, rate: number, durationMs: number, drainMs: number, tickMs: number): Promise<StepResult> {
    const reply = await this.call({ cmd: 'step', step, kind, rate, durationMs, drainMs, tickMs });
    if (!('stepped' in reply)) throw new Error('unexpected reply to step');
    // IPC sends JSON: the NaN of an empty latency summary arrives as null
    const latency = reply.stepped.latency;
    const num = (value: number | null) => (value === null ? Number.NaN : value);
    return {
      ...reply.stepped,
      latency: { count: latency.count, p50: num(latency.p50), p99: num(latency.p99), max: num(latency.max), mean: num(latency.mean) },
    };
  }

  /** Closes the peers, then ends the worker. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.connected) {
      await this.call({ cmd: 'close' }).catch(() => undefined);
      this.child.disconnect();
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  private call(command: WorkerCommand): Promise<WorkerReply & { ok: true }> {
    return new Promise((resolvePromise, reject) => {
      if (this.pending) return reject(new Error('load worker is busy'));
      this.pending = (reply) => (reply.ok ? resolvePromise(reply) : reject(new Error(reply.error)));
      this.child.send(command);
    });
  }
}

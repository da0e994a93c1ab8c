import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pinnedCommand } from '../util/pinning';
import { LatencySummary } from '../util/stats';
import { withRaisedFdLimit } from './fd-limit';
import { HelloResult, JoinOutcome, LoadStatus, SoakCommand, SoakReply, TalkOutcome } from './soak-ipc';

const REPO_ROOT = resolve(__dirname, '..', '..');

type Ok = SoakReply & { ok: true };

/** IPC sends JSON: the NaN of an empty latency summary arrives as null. */
function latency(summary: LatencySummary): LatencySummary {
  const num = (value: number | null) => (value === null ? Number.NaN : value);
  return { count: summary.count, p50: num(summary.p50), p99: num(summary.p99), max: num(summary.max), mean: num(summary.mean) };
}

/** The orchestrator's handle on one soak load process, pinned to `core`, its file limit raised where allowed. */
export class SoakWorker {
  private readonly child: ChildProcess;
  private pending: ((reply: SoakReply) => void) | undefined;
  private readonly exited: Promise<void>;

  constructor(core: number, fdLimit: number) {
    const [command, args] = pinnedCommand(core, ...withRaisedFdLimit(fdLimit, process.execPath, ['--import', 'tsx', resolve(__dirname, 'soak-worker.ts')]));
    this.child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (reply: SoakReply) => {
      const pending = this.pending;
      this.pending = undefined;
      pending?.(reply);
    });
    this.exited = new Promise((done) => this.child.once('exit', () => done()));
    void this.exited.then(() => this.pending?.({ ok: false, error: `load process ${this.child.pid} exited (${this.child.exitCode ?? this.child.signalCode})` }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  async hello(): Promise<HelloResult> {
    const reply = await this.call({ cmd: 'hello' });
    if (!('hello' in reply)) throw new Error('unexpected reply to hello');
    return reply.hello;
  }

  async join(url: string, roomPrefix: string, rooms: number, talkingRooms: number, concurrency: number): Promise<JoinOutcome> {
    const reply = await this.call({ cmd: 'join', url, roomPrefix, rooms, talkingRooms, concurrency });
    if (!('joined' in reply)) throw new Error('unexpected reply to join');
    return reply.joined;
  }

  async talk(ratePerPeer: number): Promise<void> {
    await this.call({ cmd: 'talk', ratePerPeer });
  }

  async status(): Promise<LoadStatus> {
    const reply = await this.call({ cmd: 'status' });
    if (!('status' in reply)) throw new Error('unexpected reply to status');
    return { ...reply.status, window: latency(reply.status.window) };
  }

  async stopTalking(drainMs: number): Promise<TalkOutcome> {
    const reply = await this.call({ cmd: 'stop-talk', drainMs });
    if (!('talked' in reply)) throw new Error('unexpected reply to stop-talk');
    const talked = reply.talked;
    return { ...talked, all: latency(talked.all), offer: latency(talked.offer), candidate: latency(talked.candidate) };
  }

  /** Closes every socket with 1000, then ends the process. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.connected) {
      await this.call({ cmd: 'close' }).catch(() => undefined);
      this.child.disconnect();
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  private call(command: SoakCommand): Promise<Ok> {
    return new Promise((resolvePromise, reject) => {
      if (this.pending) return reject(new Error('load process is busy'));
      if (!this.child.connected) return reject(new Error(`load process ${this.child.pid} is gone`));
      this.pending = (reply) => (reply.ok ? resolvePromise(reply) : reject(new Error(reply.error)));
      this.child.send(command);
    });
  }
}

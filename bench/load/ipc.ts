import { LatencySummary } from '../util/stats';
import { LoadTarget } from './load-target';
import { SignalKind } from './payloads';

/** What a step sends: one kind of signal, or both alternately (warm-up). */
export type StepKind = SignalKind | 'mixed';

export type WorkerCommand =
  | { readonly cmd: 'connect'; readonly target: LoadTarget; readonly rooms: number; readonly roomPrefix: string }
  | {
      readonly cmd: 'step';
      readonly step: number;
      readonly kind: StepKind;
      /** Aggregate messages per second over all peers. */
      readonly rate: number;
      readonly durationMs: number;
      /** How long to wait for the last frames before counting them lost. */
      readonly drainMs: number;
      /** Sender timer period: each tick sends every frame due by then. */
      readonly tickMs: number;
    }
  | {
      /** Opens `rooms` more rooms of two that stay idle: how fast a server admits, and what an idle peer costs it. */
      readonly cmd: 'join';
      readonly target: LoadTarget;
      readonly rooms: number;
      readonly roomPrefix: string;
      /** Rooms being joined at once. */
      readonly concurrency: number;
    }
  | { readonly cmd: 'close' };

export interface ConnectResult {
  readonly peers: number;
  readonly connectMs: number;
  readonly frameBytes: Readonly<Record<SignalKind, number>>;
}

export interface JoinResult {
  /** Connections opened and admitted (welcome, OPEN, or the upgrade for the bare relay). */
  readonly peers: number;
  readonly joinMs: number;
}

export interface StepResult {
  readonly step: number;
  readonly kind: StepKind;
  readonly targetRate: number;
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  /** Sent per second over the send phase; below the target when the load process lagged. */
  readonly achievedRate: number;
  readonly latency: LatencySummary;
  /** Frames of earlier steps that arrived during this one. */
  readonly late: number;
  /** Error frames (gateway `error`, PeerJS ERROR/EXPIRE/LEAVE) and unexpected closes. */
  readonly errors: number;
  readonly errorSamples: readonly string[];
  /** The load process's own CPU over the step, as a share of one core. */
  readonly loadCpuShare: number;
  readonly maxBufferedBytes: number;
}

export type WorkerReply =
  | { readonly ok: true; readonly connected: ConnectResult }
  | { readonly ok: true; readonly stepped: StepResult }
  | { readonly ok: true; readonly joined: JoinResult }
  | { readonly ok: true; readonly closed: true }
  | { readonly ok: false; readonly error: string };

import { LatencySummary } from '../util/stats';
import { FdLimit } from './fd-limit';

/** Commands from the soak orchestrator to one load process; plain data over IPC. */
export type SoakCommand =
  | { readonly cmd: 'hello' }
  | {
      /** Opens `rooms` rooms of two on `url` (`roomPrefix-0` ...), `concurrency` at a time; the first `talkingRooms` will talk. */
      readonly cmd: 'join';
      readonly url: string;
      readonly roomPrefix: string;
      readonly rooms: number;
      readonly talkingRooms: number;
      readonly concurrency: number;
    }
  | { readonly cmd: 'talk'; readonly ratePerPeer: number }
  | { readonly cmd: 'status' }
  | { readonly cmd: 'stop-talk'; readonly drainMs: number }
  | { readonly cmd: 'close' };

export interface HelloResult {
  readonly pid: number;
  /** The limit this process got (the bench asks for more where the kernel allows). */
  readonly fdLimit: FdLimit;
}

export interface JoinOutcome {
  /** Connections admitted (welcome, and peer-joined for the room's first peer). */
  readonly peers: number;
  readonly failedRooms: number;
  readonly failureSamples: readonly string[];
  readonly joinMs: number;
}

/** Counts since the process started, and the talkers' latency since the previous status. */
export interface LoadStatus {
  /** Sockets in the OPEN state now. */
  readonly open: number;
  /** Sockets closed by the other side, by close code (1006: no close frame, e.g. ws terminate() on a missed heartbeat). */
  readonly closesByCode: Readonly<Record<string, number>>;
  readonly closeSamples: readonly string[];
  /** Server pings received by all sockets (each answered by ws's automatic pong). */
  readonly pings: number;
  readonly sent: number;
  readonly received: number;
  /** Talkers' one-way latency since the previous status; count 0 when none talk here. */
  readonly window: LatencySummary;
  /** Error frames the gateway sent (rate-limited, schema-error, ...) and peer-left frames. */
  readonly errorFrames: number;
  readonly errorSamples: readonly string[];
  /** This process's own event-loop delay p99 since the previous status, in ms: a late load process inflates latency. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

export interface TalkOutcome {
  readonly talkers: number;
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  readonly all: LatencySummary;
  readonly offer: LatencySummary;
  readonly candidate: LatencySummary;
}

export type SoakReply =
  | { readonly ok: true; readonly hello: HelloResult }
  | { readonly ok: true; readonly joined: JoinOutcome }
  | { readonly ok: true; readonly talking: true }
  | { readonly ok: true; readonly status: LoadStatus }
  | { readonly ok: true; readonly talked: TalkOutcome }
  | { readonly ok: true; readonly closed: true }
  | { readonly ok: false; readonly error: string };

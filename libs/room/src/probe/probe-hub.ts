import { PROBE_PEER_ID, type IceServer, type NodeId, type PeerId, type RoomId, type SessionEvent, type StatsReport } from '@sg/schema';
import type { SessionEventSink } from '../ports/session-event-sink';
import type { ProbeIceCandidate, ProbePeer, ProbePeerFactory, ProbePeerState } from './probe-peer';

/** The client side of a probe: where the probe's answer and candidates go. */
export interface ProbeClient {
  readonly room: RoomId;
  readonly peerId: PeerId;
  send(frame: string): void;
}

/** How a probe ended, for the `outcome` label: it connected at some point, failed, ran out of time, or its client left first. */
export type ProbeOutcome = 'connected' | 'failed' | 'expired' | 'abandoned';
export const PROBE_OUTCOMES: readonly ProbeOutcome[] = ['connected', 'failed', 'expired', 'abandoned'];

/** What the probe hub counts; the gateway binds it to metrics. */
export interface ProbeObserver {
  /** An offer got `probe-unavailable`. */
  refused(): void;
  started(): void;
  /** First `connected`, seconds after the client's first offer reached the probe. */
  connected(seconds: number): void;
  ended(outcome: ProbeOutcome): void;
}

export interface ProbeHubOptions {
  readonly enabled: boolean;
  /** Probes running at once on this node; more offers get `probe-unavailable`. */
  readonly maxConcurrent: number;
  /** A probe closes this long after the client's first offer, connected or not. */
  readonly maxSeconds: number;
  readonly iceAddress?: string;
  readonly nodeId: NodeId;
  /** The ICE servers the client got in `welcome` (TURN credentials made for the probe). */
  iceServers(): IceServer[];
  /** How often a connected probe records its selected pair and round trip. */
  readonly statsIntervalMs: number;
}

export type ProbeOfferResult = 'accepted' | 'unavailable';

/** One probe: a client's connection with the node's own peer. */
class ProbeRun {
  /** Operations on the peer, one at a time and in the client's order: an offer must be applied before the candidates that follow it. */
  queue: Promise<void> = Promise.resolve();
  answered = false;
  /** The probe's own candidates gathered before its answer went out: the client must get the answer first. */
  readonly heldCandidates: ProbeIceCandidate[] = [];
  lastState: ProbePeerState | null = null;
  connectedOnce = false;
  failedOnce = false;
  closed = false;
  expiry: NodeJS.Timeout | null = null;
  statsTimer: NodeJS.Timeout | null = null;
  peer!: ProbePeer;

  constructor(
    readonly client: ProbeClient,
    readonly startedAt: number,
  ) {}
}

/**
 * The node's probe peers (PROTOCOL section 1, "The probe peer"): at most one per client,
 * at most `maxConcurrent` per node, each closed after `maxSeconds`. Everything the probe
 * does and sees becomes a session event of the pair (client, `probe`): the client's
 * offer and candidates, the probe's answer and candidates, and the probe's own states and
 * selected pair, so its view can decide the session's verdict.
 */
export class ProbeHub {
  private readonly runs = new Map<string, ProbeRun>();

  constructor(
    private readonly factory: ProbePeerFactory,
    private readonly events: SessionEventSink,
    private readonly options: ProbeHubOptions,
    private readonly observer: ProbeObserver,
    private readonly now: () => number = Date.now,
  ) {}

  get active(): number {
    return this.runs.size;
  }

  /** A client's offer `to: "probe"`: a new probe, a renegotiation or an ICE restart of its probe. */
  offer(client: ProbeClient, sdp: string, iceUfrag?: string): ProbeOfferResult {
    let run = this.runs.get(keyOf(client));
    if (!run) {
      if (!this.options.enabled || this.runs.size >= this.options.maxConcurrent) {
        this.observer.refused();
        return 'unavailable';
      }
      run = this.start(client);
    }
    this.record(client, { kind: 'signal', signal: 'offer', from: client.peerId, to: PROBE_PEER_ID, ...(iceUfrag !== undefined ? { iceUfrag } : {}) });
    const current = run;
    this.enqueue(current, async () => {
      const answerSdp = await current.peer.answer(sdp);
      if (current.closed) return;
      this.send(current, { type: 'answer', sdp: answerSdp, from: PROBE_PEER_ID });
      this.record(client, { kind: 'signal', signal: 'answer', from: PROBE_PEER_ID, to: client.peerId });
      current.answered = true;
      for (const candidate of current.heldCandidates.splice(0)) this.sendCandidate(current, candidate);
    }, (error) => {
      // an offer the WebRTC stack cannot apply: the client hears why, the probe ends as failed
      this.send(current, { type: 'error', code: 'schema-error', message: `the probe could not answer this offer: ${describe(error)}` });
      current.failedOnce = true;
      this.close(current);
    });
    return 'accepted';
  }

  /** A client's candidate `to: "probe"`; false when the client has no probe running. */
  candidate(client: ProbeClient, candidate: ProbeIceCandidate): boolean {
    const run = this.runs.get(keyOf(client));
    if (!run) return false;
    this.record(client, { kind: 'signal', signal: 'candidate', from: client.peerId, to: PROBE_PEER_ID, candidate: candidate.candidate });
    // a candidate the stack refuses is one the probe cannot use: it fails in the open, through ICE
    this.enqueue(run, () => run.peer.addCandidate(candidate), () => undefined);
    return true;
  }

  /**
   * The client said bye, left or lost its socket: its probe closes, and the client's
   * departure ends the session. A probe that answered but never connected says so first,
   * as its own view (PROTOCOL section 1: on failure the probe's view decides): the client
   * gave up on a path that did not work, which is what the test is for. Call it before the
   * client's departure is recorded, so the probe's verdict is the earlier event.
   */
  end(client: Pick<ProbeClient, 'room' | 'peerId'>): void {
    const run = this.runs.get(keyOf(client));
    if (!run) return;
    if (run.answered && !run.connectedOnce && !run.failedOnce) {
      const ice = run.lastState?.iceConnectionState ?? 'new';
      this.record(run.client, {
        kind: 'state',
        peer: PROBE_PEER_ID,
        to: run.client.peerId,
        iceConnectionState: ice === 'connected' || ice === 'completed' ? ice : 'failed',
        connectionState: 'failed',
        reason: `not connected when the client left (ICE ${ice})`,
      });
      run.failedOnce = true;
    }
    this.close(run);
  }

  /** Closes every probe, for shutdown. */
  closeAll(): void {
    for (const run of [...this.runs.values()]) this.close(run);
  }

  private start(client: ProbeClient): ProbeRun {
    const run = new ProbeRun(client, this.now());
    this.runs.set(keyOf(client), run);
    run.peer = this.factory.create(
      { iceServers: this.options.iceServers(), ...(this.options.iceAddress !== undefined ? { iceAddress: this.options.iceAddress } : {}) },
      {
        candidate: (candidate) => {
          if (run.closed) return;
          if (run.answered) this.sendCandidate(run, candidate);
          else run.heldCandidates.push(candidate);
        },
        state: (state) => this.onState(run, state),
      },
    );
    run.expiry = setTimeout(() => this.expire(run), this.options.maxSeconds * 1000);
    run.expiry.unref?.();
    this.observer.started();
    return run;
  }

  private onState(run: ProbeRun, state: ProbePeerState): void {
    if (run.closed) return;
    const last = run.lastState;
    if (last && last.iceConnectionState === state.iceConnectionState && last.connectionState === state.connectionState && last.dtlsState === state.dtlsState) return;
    run.lastState = state;
    this.record(run.client, {
      kind: 'state',
      peer: PROBE_PEER_ID,
      to: run.client.peerId,
      iceConnectionState: state.iceConnectionState,
      connectionState: state.connectionState,
      ...(state.dtlsState !== undefined ? { dtlsState: state.dtlsState } : {}),
    });
    if (state.connectionState === 'failed' || state.iceConnectionState === 'failed') run.failedOnce = true;
    if (state.connectionState === 'connected') {
      if (!run.connectedOnce) {
        run.connectedOnce = true;
        this.observer.connected((this.now() - run.startedAt) / 1000);
      }
      this.recordStats(run);
      if (!run.statsTimer) {
        run.statsTimer = setInterval(() => this.recordStats(run), this.options.statsIntervalMs);
        run.statsTimer.unref?.();
      }
    }
  }

  private recordStats(run: ProbeRun): void {
    if (run.closed || run.lastState?.connectionState !== 'connected') return;
    const pair = run.peer.selectedPair();
    if (!pair) return;
    const report: StatsReport = {
      localCandidateType: pair.localCandidateType,
      remoteCandidateType: pair.remoteCandidateType,
      protocol: pair.protocol,
      ...(pair.rttMs !== null ? { rttMs: pair.rttMs } : {}),
    } as StatsReport;
    this.record(run.client, { kind: 'stats', peer: PROBE_PEER_ID, to: run.client.peerId, report });
  }

  /** PROBE_MAX_SECONDS passed: a connected probe hangs up; one that never connected failed, in its own view. */
  private expire(run: ProbeRun): void {
    if (run.closed) return;
    const limit = `probe time limit of ${this.options.maxSeconds} s reached`;
    const ice = run.lastState?.iceConnectionState;
    if (run.lastState?.connectionState === 'connected') {
      this.record(run.client, { kind: 'state', peer: PROBE_PEER_ID, to: run.client.peerId, connectionState: 'closed', reason: limit });
    } else if (!run.connectedOnce) {
      // ICE that succeeded with a transport that did not (DTLS) stays visible as such
      const iceConnectionState = ice === 'connected' || ice === 'completed' ? ice : 'failed';
      this.record(run.client, {
        kind: 'state',
        peer: PROBE_PEER_ID,
        to: run.client.peerId,
        iceConnectionState,
        connectionState: 'failed',
        reason: `${limit} before connecting`,
      });
    }
    this.close(run, 'expired');
  }

  /** `ending`: what ended it when the probe's own states do not say (it ran out of time, or its client went). */
  private close(run: ProbeRun, ending: 'expired' | 'abandoned' = 'abandoned'): void {
    if (run.closed) return;
    run.closed = true;
    if (run.expiry) clearTimeout(run.expiry);
    if (run.statsTimer) clearInterval(run.statsTimer);
    this.runs.delete(keyOf(run.client));
    run.peer.close();
    this.observer.ended(run.connectedOnce ? 'connected' : run.failedOnce ? 'failed' : ending);
  }

  private enqueue(run: ProbeRun, operation: () => Promise<void>, onError: (error: unknown) => void): void {
    run.queue = run.queue.then(() => (run.closed ? undefined : operation())).catch((error: unknown) => {
      if (!run.closed) onError(error);
    });
  }

  private sendCandidate(run: ProbeRun, candidate: ProbeIceCandidate): void {
    this.send(run, { type: 'candidate', candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex, from: PROBE_PEER_ID });
    this.record(run.client, { kind: 'signal', signal: 'candidate', from: PROBE_PEER_ID, to: run.client.peerId, candidate: candidate.candidate });
  }

  private send(run: ProbeRun, frame: object): void {
    run.client.send(JSON.stringify(frame));
  }

  private record(client: ProbeClient, event: DistributiveOmit<SessionEvent, 't' | 'room' | 'node'>): void {
    this.events.record({ ...event, t: this.now(), room: client.room, node: this.options.nodeId } as SessionEvent);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function keyOf(client: Pick<ProbeClient, 'room' | 'peerId'>): string {
  return `${client.room}\n${client.peerId}`;
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}

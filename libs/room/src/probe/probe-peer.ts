import type { DtlsState, IceServer } from '@sg/schema';

/** A trickled ICE candidate as the protocol carries it; `candidate: ''` ends the candidates. */
export interface ProbeIceCandidate {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
}

/** The probe's RTCPeerConnection states, as the browser enums name them. */
export interface ProbePeerState {
  readonly iceConnectionState: 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';
  readonly connectionState: 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
  /** The DTLS transport's state, where the peer exposes it. */
  readonly dtlsState?: DtlsState;
}

/** The pair ICE selected, from the probe's side, and its latest check round trip. */
export interface ProbeSelectedPair {
  readonly localCandidateType: string;
  readonly remoteCandidateType: string;
  /** `udp` or `tcp`: the transport between the probe and the client's candidate. */
  readonly protocol: string;
  /** Milliseconds, from the probe's own STUN checks; null before the first answered check. */
  readonly rttMs: number | null;
}

/** What a probe peer reports as it runs; called on the peer's own schedule. */
export interface ProbePeerListener {
  candidate(candidate: ProbeIceCandidate): void;
  state(state: ProbePeerState): void;
}

export interface ProbePeerOptions {
  /** The ICE servers the client got in its `welcome`; none means no STUN or TURN traffic at all. */
  readonly iceServers: readonly IceServer[];
  /** The only address to gather host candidates on and bind ICE sockets to; undefined: every interface. */
  readonly iceAddress?: string;
}

/** One server-side WebRTC peer answering one client (PROTOCOL section 1, "The probe peer"). */
export interface ProbePeer {
  /** Applies the client's offer (first, renegotiation or ICE restart) and returns the answer SDP; candidates follow by trickle. */
  answer(offerSdp: string): Promise<string>;
  /** Takes one of the client's trickled candidates; `''` ends them. Candidates it cannot use are ignored. */
  addCandidate(candidate: ProbeIceCandidate): Promise<void>;
  /** The selected pair, once ICE has chosen one. */
  selectedPair(): ProbeSelectedPair | null;
  /** Closes the connection; the listener hears nothing more. */
  close(): void;
}

/** Makes probe peers: the WebRTC stack is the adapter's business, the probe's rules are not. */
export abstract class ProbePeerFactory {
  abstract create(options: ProbePeerOptions, listener: ProbePeerListener): ProbePeer;
}

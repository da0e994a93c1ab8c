import {
  RTCPeerConnection,
  type RTCDataChannel,
  type RTCIceCandidate,
  type RTCIceCandidateInit,
  type RTCLocalSessionDescriptionInit,
  type RTCSessionDescription,
  type RTCSessionDescriptionInit,
  type SessionDescription,
} from 'werift';

const LOOPBACK = '127.0.0.1';

// below Jest's 20 s test timeout, so a stuck negotiation fails with our message, not Jest's
const DEFAULT_TIMEOUT_MS = 10_000;

/** A trickled ICE candidate as the signaling protocol carries it; `candidate: ''` ends the candidates. */
export interface LoopbackIceCandidate {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
}

export interface LoopbackDescriptionOptions {
  /**
   * `true`: resolve with an SDP that carries no candidate as soon as gathering starts; the
   * candidates follow through {@link onLoopbackIceCandidate}, after the SDP has been handed back.
   * `false` (default): resolve once gathering is complete, with every candidate in the SDP.
   */
  readonly trickle?: boolean;
}

/**
 * werift's RTCPeerConnection held to 127.0.0.1: tests must never send a packet off the machine.
 * Every restriction lives here, so code that drives the peer through the plain werift API
 * (setLocalDescription, addIceCandidate...) stays on loopback too.
 */
class LoopbackPeerConnection extends RTCPeerConnection {
  constructor() {
    super({
      // no STUN or TURN entry: werift would query each while gathering
      iceServers: [],
      // do not enumerate the machine's interfaces: no LAN, IPv6 or link-local host candidates...
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceUseLinkLocalAddress: false,
      // ...so 127.0.0.1 is the only address gathered
      iceAdditionalHostAddresses: [LOOPBACK],
      // bind the ICE socket to 127.0.0.1 instead of 0.0.0.0: the kernel does not route a packet
      // with a loopback source off the machine, whatever the ICE agent decides
      iceInterfaceAddresses: { udp4: LOOPBACK },
      // ICE-TCP would open listening and outgoing TCP sockets; UDP is enough on loopback
      iceUseTcp: false,
      // last guard: never run connectivity checks on a pair that leaves loopback
      iceFilterCandidatePair: (pair) =>
        pair.localCandidate.host === LOOPBACK && pair.remoteCandidate.host === LOOPBACK,
    });
  }

  override setLocalDescription(description: { type: 'rollback' }): Promise<void>;
  override setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<SessionDescription>;
  override setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<SessionDescription | void> {
    // No configuration turns STUN off: the peer hands its ICE agent a STUN server only from a
    // `stun:` URL in iceServers (werift/lib/webrtc/src/utils.js, parseIceServers), and the agent
    // replaces a missing one with stun.l.google.com:19302 (werift/lib/ice/src/ice.js, Connection
    // constructor), which it resolves and queries while gathering unless it is ice-lite. Gathering
    // starts only in setLocalDescription and every transport exists by then, so the fallback is
    // cleared here, the last moment before it is read.
    for (const transport of this.iceTransports) transport.connection.stunServer = undefined;
    return super.setLocalDescription(description);
  }

  override setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const sdp = description.sdp === undefined ? undefined : withLoopbackCandidatesOnly(description.sdp);
    return super.setRemoteDescription({ ...description, sdp });
  }

  override addIceCandidate(candidate?: RTCIceCandidate | RTCIceCandidateInit | null): Promise<void> {
    // dropped, as a browser drops what it cannot reach: an mDNS (`.local`) candidate would make
    // werift multicast a query, any other address would get connectivity checks
    if (candidate?.candidate && !isLoopbackCandidate(candidate.candidate)) return Promise.resolve();
    return super.addIceCandidate(candidate);
  }
}

/**
 * Creates a werift peer restricted to loopback: one host candidate on 127.0.0.1 (UDP, IPv4),
 * no STUN or TURN traffic, no mDNS lookups; remote candidates on any other address are ignored.
 */
export function createLoopbackPeerConnection(): RTCPeerConnection {
  return new LoopbackPeerConnection();
}

/**
 * Creates an offer on a loopback peer and applies it locally.
 * @returns the offer SDP to signal (see {@link LoopbackDescriptionOptions} for trickle).
 */
export async function createLoopbackOffer(
  pc: RTCPeerConnection,
  options: LoopbackDescriptionOptions = {},
): Promise<string> {
  assertLoopbackPeer(pc, createLoopbackOffer.name);
  const offer = await pc.createOffer();
  return applyLocalDescription(pc, offer, options);
}

/**
 * Applies a remote offer to a loopback peer, then creates and applies the answer.
 * @returns the answer SDP to signal (see {@link LoopbackDescriptionOptions} for trickle).
 */
export async function createLoopbackAnswer(
  pc: RTCPeerConnection,
  offerSdp: string,
  options: LoopbackDescriptionOptions = {},
): Promise<string> {
  assertLoopbackPeer(pc, createLoopbackAnswer.name);
  await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
  const answer = await pc.createAnswer();
  return applyLocalDescription(pc, answer, options);
}

/**
 * Calls `listener` with each local candidate in the signaling protocol's shape, then with
 * `candidate: ''` when gathering ends. Subscribe before creating the offer or answer.
 * @returns a function that stops the listener.
 */
export function onLoopbackIceCandidate(
  pc: RTCPeerConnection,
  listener: (candidate: LoopbackIceCandidate) => void,
): () => void {
  const { unSubscribe } = pc.onIceCandidate.subscribe((candidate) => {
    listener(
      candidate
        ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null }
        : { candidate: '', sdpMid: null, sdpMLineIndex: null },
    );
  });
  return unSubscribe;
}

/** Resolves when `connectionState` is `connected`; rejects on `failed`, `closed` or timeout. */
export function waitForConnected(pc: RTCPeerConnection, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  return waitFor<void>(
    () => `connectionState 'connected' (still '${pc.connectionState}', ICE '${pc.iceConnectionState}')`,
    timeoutMs,
    (resolve, reject) => {
      const check = (state: RTCPeerConnection['connectionState']): void => {
        if (state === 'connected') resolve();
        else if (state === 'failed' || state === 'closed') reject(new Error(`peer connection became '${state}' before 'connected'`));
      };
      check(pc.connectionState);
      return pc.connectionStateChange.subscribe(check).unSubscribe;
    },
  );
}

/**
 * Resolves with the next DataChannel the remote side opens towards `pc`; rejects if `pc` fails
 * or closes first, or on timeout. Call it before the connection is up: a channel announced
 * earlier is not replayed.
 */
export function waitForDataChannel(pc: RTCPeerConnection, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RTCDataChannel> {
  return waitFor<RTCDataChannel>(
    () => `a DataChannel from the remote peer (connectionState '${pc.connectionState}')`,
    timeoutMs,
    (resolve, reject) => {
      const onChannel = pc.onDataChannel.subscribe(resolve);
      const onState = pc.connectionStateChange.subscribe((state) => {
        if (state === 'failed' || state === 'closed') reject(new Error(`peer connection became '${state}' before a DataChannel arrived`));
      });
      return () => {
        onChannel.unSubscribe();
        onState.unSubscribe();
      };
    },
  );
}

/** Resolves when `channel` is open; rejects if it closes first or on timeout. */
export function waitForDataChannelOpen(channel: RTCDataChannel, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  return waitFor<void>(
    () => `DataChannel '${channel.label}' to open (still '${channel.readyState}')`,
    timeoutMs,
    (resolve, reject) => {
      const check = (state: RTCDataChannel['readyState']): void => {
        if (state === 'open') resolve();
        else if (state === 'closing' || state === 'closed') reject(new Error(`DataChannel '${channel.label}' became '${state}' before opening`));
      };
      check(channel.readyState);
      return channel.stateChanged.subscribe(check).unSubscribe;
    },
  );
}

/** Resolves with the next message on `channel`; rejects if it closes first or on timeout. */
export function waitForDataChannelMessage(
  channel: RTCDataChannel,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<string | Buffer> {
  return waitFor<string | Buffer>(
    () => `a message on DataChannel '${channel.label}' (state '${channel.readyState}')`,
    timeoutMs,
    (resolve, reject) => {
      const onMessage = channel.onMessage.subscribe(resolve);
      const onState = channel.stateChanged.subscribe((state) => {
        if (state === 'closing' || state === 'closed') reject(new Error(`DataChannel '${channel.label}' became '${state}' before a message arrived`));
      });
      return () => {
        onMessage.unSubscribe();
        onState.unSubscribe();
      };
    },
  );
}

async function applyLocalDescription(
  pc: RTCPeerConnection,
  description: RTCSessionDescription,
  { trickle = false }: LoopbackDescriptionOptions,
): Promise<string> {
  const applied = pc.setLocalDescription(description);
  if (!trickle) {
    // werift resolves setLocalDescription only after gathering, having written every
    // candidate into the local description
    await applied;
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new Error('werift applied the local description but exposes no SDP');
    return sdp;
  }
  // Trickle: hand the SDP back once the description is applied and gathering has begun, before
  // any candidate exists (each needs a socket bound first). Whatever fails after that point,
  // werift catches and logs itself (setLocalDescription in peerConnection.js); a connection that
  // cannot come up shows in waitForConnected.
  let stopWatching = (): void => undefined;
  const gathering = new Promise<void>((resolve) => {
    stopWatching = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'gathering') resolve();
    }).unSubscribe;
  });
  try {
    await Promise.race([applied, gathering]);
  } finally {
    stopWatching();
  }
  return description.sdp;
}

// the offer/answer helpers hand out SDP after gathering: on a plain werift peer that means STUN
// queries to the public internet, so refuse rather than trust the caller
function assertLoopbackPeer(pc: RTCPeerConnection, caller: string): void {
  if (!(pc instanceof LoopbackPeerConnection)) {
    throw new Error(`${caller} needs a peer from createLoopbackPeerConnection()`);
  }
}

/** `candidate:<foundation> <component> <transport> <priority> <address> <port> typ ...`, `a=` optional. */
function isLoopbackCandidate(candidate: string): boolean {
  const fields = candidate.replace(/^a=/, '').trim().split(/\s+/);
  return fields[4] === LOOPBACK;
}

function withLoopbackCandidatesOnly(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || isLoopbackCandidate(line))
    .join('\r\n');
}

type Watch<T> = (resolve: (value: T) => void, reject: (error: Error) => void) => () => void;

// one timer and one subscription per wait, both released whichever way it settles, so Jest exits cleanly
function waitFor<T>(describe: () => string, timeoutMs: number, watch: Watch<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let release = (): void => undefined;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      release();
      outcome();
    };
    const timer = setTimeout(
      () => settle(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`))),
      timeoutMs,
    );
    const unwatch = watch(
      (value) => settle(() => resolve(value)),
      (error) => settle(() => reject(error)),
    );
    // the watch may settle synchronously (state already reached), before it handed back `unwatch`
    if (settled) unwatch();
    else release = unwatch;
  });
}

import { ProbeIceCandidate, ProbePeer, ProbePeerFactory, ProbePeerListener, ProbePeerOptions, ProbeSelectedPair } from '@sg/room';
import { RTCPeerConnection, type RTCDataChannel, type RTCIceServer, type RTCPeerConnectionConfig } from 'werift';

/** Data-channel bytes queued towards a client beyond which the probe stops echoing: a slow reader must not grow our memory. */
const ECHO_BUFFER_MAX_BYTES = 1_048_576;

/**
 * The probe peer on werift. It answers, trickles and echoes data-channel messages; what it
 * may reach is pinned here: only the configured STUN/TURN servers, only `iceAddress` when
 * set, and never an mDNS lookup.
 */
export class WeriftProbePeerFactory extends ProbePeerFactory {
  create(options: ProbePeerOptions, listener: ProbePeerListener): ProbePeer {
    return new WeriftProbePeer(options, listener);
  }
}

class WeriftProbePeer implements ProbePeer {
  private readonly pc: RTCPeerConnection;
  private readonly hasStunServer: boolean;
  private readonly watchedDtls = new WeakSet<object>();
  private closed = false;

  constructor(options: ProbePeerOptions, private readonly listener: ProbePeerListener) {
    this.pc = new RTCPeerConnection(peerConfig(options));
    this.hasStunServer = options.iceServers.some((server) => urlsOf(server).some((url) => url.startsWith('stun:') || url.startsWith('stuns:')));
    this.pc.onIceCandidate.subscribe((candidate) => {
      if (this.closed) return;
      this.listener.candidate(
        candidate
          ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null }
          : { candidate: '', sdpMid: null, sdpMLineIndex: null },
      );
    });
    this.pc.iceConnectionStateChange.subscribe(() => this.reportState());
    this.pc.connectionStateChange.subscribe(() => this.reportState());
    this.pc.onDataChannel.subscribe((channel) => echo(channel));
  }

  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: withoutMdnsCandidates(offerSdp) });
    // DTLS transports exist once the offer is applied; their changes alone do not always move connectionState
    for (const transport of this.pc.dtlsTransports) {
      if (this.watchedDtls.has(transport)) continue;
      this.watchedDtls.add(transport);
      transport.onStateChange.subscribe(() => this.reportState());
    }
    const answer = await this.pc.createAnswer();
    this.clearStunFallback();
    // werift resolves setLocalDescription only once gathering is over (a TURN server that does not
    // answer holds it for seconds): the answer goes out now and the candidates trickle after it
    const applied = this.pc.setLocalDescription(answer);
    applied.catch(() => undefined);
    await Promise.race([applied, this.gatheringStarted()]);
    return answer.sdp;
  }

  async addCandidate(candidate: ProbeIceCandidate): Promise<void> {
    if (candidate.candidate === '') return this.pc.addIceCandidate(undefined);
    // a browser's mDNS name (`*.local`) resolves only on its own LAN: werift would multicast a query for it
    if (isMdnsCandidate(candidate.candidate)) return;
    await this.pc.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? undefined, sdpMLineIndex: candidate.sdpMLineIndex ?? undefined });
  }

  selectedPair(): ProbeSelectedPair | null {
    const pair = this.pc.iceTransports[0]?.connection.nominated;
    if (!pair) return null;
    return {
      localCandidateType: pair.localCandidate.type,
      remoteCandidateType: pair.remoteCandidate.type,
      protocol: pair.remoteCandidate.transport.toLowerCase(),
      rttMs: pair.rtt === undefined ? null : Math.round(pair.rtt * 1000 * 100) / 100,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.pc.close().catch(() => undefined);
  }

  private reportState(): void {
    // with no ICE transport yet werift derives `completed` from an empty set: not a state to report
    if (this.closed || this.pc.iceTransports.length === 0) return;
    const dtlsState = this.pc.dtlsTransports[0]?.state;
    // werift caches the peer-level ICE state and may hold one derived before its transport existed;
    // with bundling (what browsers offer) the one transport's own state is the truth
    const transports = this.pc.iceTransports;
    this.listener.state({
      iceConnectionState: transports.length === 1 ? transports[0].state : this.pc.iceConnectionState,
      connectionState: this.pc.connectionState,
      ...(dtlsState !== undefined ? { dtlsState } : {}),
    });
  }

  /**
   * werift's ICE agent queries stun.l.google.com when it has no STUN server of its own, even with
   * `iceServers: []` (werift/lib/ice/src/ice.js, Connection constructor): the probe must reach only
   * what the gateway is configured with. The transports exist once the remote description is set
   * and gathering starts in setLocalDescription, so this is the moment to clear it.
   */
  private clearStunFallback(): void {
    if (this.hasStunServer) return;
    for (const transport of this.pc.iceTransports) transport.connection.stunServer = undefined;
  }

  private gatheringStarted(): Promise<void> {
    return new Promise((resolve) => {
      if (this.pc.iceGatheringState !== 'new') return resolve();
      const { unSubscribe } = this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'new') return;
        unSubscribe();
        resolve();
      });
    });
  }
}

function peerConfig(options: ProbePeerOptions): RTCPeerConnectionConfig {
  const config: RTCPeerConnectionConfig = {
    iceServers: options.iceServers.map((server) => ({ ...server }) as RTCIceServer),
    // ICE-TCP would open listening sockets on every probe; clients reach us over UDP or through TURN
    iceUseTcp: false,
    iceUseIpv6: false,
  };
  if (options.iceAddress !== undefined) {
    // only the one address: no interface enumeration, and sockets bound to it rather than 0.0.0.0
    config.iceUseIpv4 = false;
    config.iceUseLinkLocalAddress = false;
    config.iceAdditionalHostAddresses = [options.iceAddress];
    config.iceInterfaceAddresses = { udp4: options.iceAddress };
  }
  return config;
}

/** Echoes every message back unchanged, so the client can time round trips over the data path. */
function echo(channel: RTCDataChannel): void {
  channel.onMessage.subscribe((message) => {
    if (channel.readyState !== 'open' || channel.bufferedAmount > ECHO_BUFFER_MAX_BYTES) return;
    channel.send(message);
  });
}

function urlsOf(server: { urls: string | string[] }): string[] {
  return Array.isArray(server.urls) ? server.urls : [server.urls];
}

/** `candidate:<foundation> <component> <transport> <priority> <address> ...`, `a=` optional. */
function isMdnsCandidate(candidate: string): boolean {
  const address = candidate.replace(/^a=/, '').trim().split(/\s+/)[4] ?? '';
  return address.toLowerCase().endsWith('.local');
}

function withoutMdnsCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || !isMdnsCandidate(line))
    .join('\r\n');
}

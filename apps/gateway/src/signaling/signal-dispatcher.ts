import { Injectable } from '@nestjs/common';
import { NegotiationClock, RoomDirectory, RoomHub, RoomMember, SessionEventSink } from '@sg/room';
import {
  ErrorCode,
  iceUfragOf,
  parseClientMessage,
  PROBE_PEER_ID,
  PeerId,
  relayedFrame,
  relayedFrameBytes,
  reportsConnected,
  SignalMessage,
  SignalRelayedEvent,
  STATS_REPORT_KEYS,
  StateMessage,
  StateReportedEvent,
  StatsMessage,
  StatsReport,
} from '@sg/schema';
import { GatewayConfig } from '../config/gateway-config';
import { SignalingMetrics } from '../metrics/signaling-metrics';
import { ProbeService } from '../probe/probe.service';
import { MessageRateLimitService, RateLimitScope } from '../rate-limit/message-rate-limit.service';
import { SessionTracing } from '../tracing/session-tracing';
import type { ConnectedPeer } from './connected-peer';
import { CLOSE_CODE } from './close-codes';

/** Frames a peer may send while one of its messages waits for a directory lookup. */
const BACKLOG_LIMIT = 256;

/**
 * The one switch over client messages (LiveKit's signalhandler): relays
 * signals within the room, records diagnostics, answers pings. It sees a
 * ConnectedPeer as a sink and never the socket's events.
 */
@Injectable()
export class SignalDispatcher {
  constructor(
    private readonly config: GatewayConfig,
    private readonly hub: RoomHub,
    private readonly directory: RoomDirectory,
    private readonly events: SessionEventSink,
    private readonly negotiations: NegotiationClock,
    private readonly metrics: SignalingMetrics,
    private readonly rateLimits: MessageRateLimitService,
    private readonly probe: ProbeService,
    private readonly tracing: SessionTracing,
  ) {}

  /** Handles one text frame (its UTF-8 bytes) of an admitted peer, in the order the peer sent them. */
  handle(peer: ConnectedPeer, raw: Buffer): void {
    if (peer.backlog) {
      if (peer.backlog.length < BACKLOG_LIMIT) peer.backlog.push(raw);
      else peer.close(CLOSE_CODE.tryAgainLater, 'too many frames in flight');
      return;
    }
    this.process(peer, raw);
  }

  /** Answers a frame that is not JSON text, e.g. a binary frame. */
  reject(peer: ConnectedPeer, message: string, ref?: string): void {
    const limited = this.rateLimits.check(peer);
    if (limited !== null) return this.rateLimited(peer, limited, ref);
    this.schemaError(peer, message, ref);
  }

  private schemaError(peer: ConnectedPeer, message: string, ref: string | undefined): void {
    this.metrics.message('invalid', 'in');
    this.metrics.schemaRejects.inc();
    this.sendError(peer, 'schema-error', message, ref);
  }

  private process(peer: ConnectedPeer, raw: Buffer): void {
    const parsed = parseClientMessage(raw.toString());
    // every frame counts, invalid ones too; a peer over its limit may still say bye
    const limited = this.rateLimits.check(peer);
    if (limited !== null && !(parsed.ok && parsed.message.type === 'bye')) {
      return this.rateLimited(peer, limited, parsed.ok ? parsed.message.id : parsed.error.ref);
    }
    if (!parsed.ok) return this.schemaError(peer, parsed.error.message, parsed.error.ref);
    const message = parsed.message;
    this.metrics.message(message.type, 'in');
    switch (message.type) {
      case 'offer':
      case 'answer':
      case 'candidate':
        if (message.to === PROBE_PEER_ID) return this.toProbe(peer, message);
        return this.relay(peer, message, raw);
      case 'state':
        // an empty `to` names no peer: answered, never recorded
        if (message.to === '') return this.unknownPeer(peer, message);
        this.recordState(peer, message);
        return this.checkReportTarget(peer, message);
      case 'stats':
        if (message.to === '') return this.unknownPeer(peer, message);
        this.recordStats(peer, message);
        return this.checkReportTarget(peer, message);
      case 'ping':
        return this.reply(peer, 'pong', message.t === undefined ? { type: 'pong' } : { type: 'pong', t: message.t });
      case 'bye':
        peer.byeReceived = true;
        peer.close(CLOSE_CODE.normal, 'bye');
        return;
    }
  }

  /** A signal for the node's own peer (PROTOCOL section 1, "The probe peer"): never relayed, never seen by another peer. */
  private toProbe(peer: ConnectedPeer, message: SignalMessage): void {
    switch (message.type) {
      case 'offer':
        if (this.probe.offer(peer, message.sdp, iceUfragOf(message.sdp)) === 'unavailable') {
          const why = this.config.probe.enabled ? `this node already runs ${this.config.probe.maxConcurrent} probes: try again later` : 'the probe peer is turned off on this node';
          this.sendError(peer, 'probe-unavailable', why, message.id);
        }
        return;
      case 'candidate':
        if (!this.probe.candidate(peer, { candidate: message.candidate, sdpMid: message.sdpMid ?? null, sdpMLineIndex: message.sdpMLineIndex ?? null })) {
          this.sendError(peer, 'unknown-peer', 'no probe is running for you: send an offer to "probe" first', message.id);
        }
        return;
      case 'answer':
        this.sendError(peer, 'unknown-peer', 'the probe only answers: it takes offers and candidates, never an answer', message.id);
        return;
    }
  }

  private relay(peer: ConnectedPeer, message: SignalMessage, raw: Buffer): void {
    const to = message.to as PeerId | undefined;
    const route = this.hub.route(peer.room, peer.peerId, to);
    if (route.ok) return this.deliver(peer, message, raw, route.targets);
    if (to === undefined || to === peer.peerId) return this.unknownPeer(peer, message);
    // a peer that joined on another node a moment ago may not be in this node's view yet
    peer.backlog = [];
    this.directory.member(peer.room, to).then(
      (member) => {
        if (member) {
          this.hub.learn(peer.room, member);
          this.deliver(peer, message, raw, [member]);
        } else this.unknownPeer(peer, message);
      },
      () => this.unknownPeer(peer, message),
    ).finally(() => this.drainBacklog(peer));
  }

  private deliver(peer: ConnectedPeer, message: SignalMessage, raw: Buffer, targets: RoomMember[]): void {
    // the received bytes with `from` spliced in when they hold only relayed fields, else re-serialised
    const frame = relayedFrameBytes(raw, message, peer.peerId) ?? JSON.stringify(relayedFrame(message, peer.peerId));
    // tracing off: one test, no other work; on: the sessions' trace goes with the signal to other nodes
    const traced = this.tracing.on ? this.tracing.relaying(peer.room, peer.peerId, message.type, targets) : undefined;
    this.hub.deliver(peer.room, targets, frame, message.type, peer.peerId, traced);
    const t = Date.now();
    // an offer's or answer's ICE credentials tell an ICE restart from a renegotiation (PROTOCOL section 2)
    const iceUfrag = message.type === 'candidate' ? undefined : iceUfragOf(message.sdp);
    for (const target of targets) {
      const event: SignalRelayedEvent = { kind: 'signal', t, room: peer.room, node: this.config.nodeId, signal: message.type, from: peer.peerId, to: target.peerId };
      if (message.type === 'candidate') event.candidate = message.candidate;
      else if (iceUfrag !== undefined) event.iceUfrag = iceUfrag;
      this.events.record(event);
    }
  }

  private recordState(peer: ConnectedPeer, message: StateMessage): void {
    const event: StateReportedEvent = { kind: 'state', t: Date.now(), room: peer.room, node: this.config.nodeId, peer: peer.peerId };
    if (message.to !== undefined) event.to = message.to as PeerId;
    if (message.connectionState !== undefined) event.connectionState = message.connectionState;
    if (message.iceConnectionState !== undefined) event.iceConnectionState = message.iceConnectionState;
    if (message.signalingState !== undefined) event.signalingState = message.signalingState;
    if (message.iceGatheringState !== undefined) event.iceGatheringState = message.iceGatheringState;
    if (message.reason !== undefined) event.reason = message.reason;
    this.events.record(event);
    if (reportsConnected(message) && event.to !== undefined) {
      const seconds = this.negotiations.connected(peer.room, peer.peerId, event.to);
      if (seconds !== null) this.metrics.iceNegotiation.observe(seconds);
    }
  }

  private recordStats(peer: ConnectedPeer, message: StatsMessage): void {
    const report: Record<string, unknown> = {};
    for (const key of STATS_REPORT_KEYS) if (message.report[key] !== undefined) report[key] = message.report[key];
    this.events.record({
      kind: 'stats',
      t: Date.now(),
      room: peer.room,
      node: this.config.nodeId,
      peer: peer.peerId,
      ...(message.to !== undefined ? { to: message.to as PeerId } : {}),
      report: report as StatsReport,
    });
  }

  /**
   * A report is recorded whatever its `to` says (a peer that just left is still
   * worth diagnosing), but a `to` naming no other peer of the room gets `unknown-peer`.
   */
  private checkReportTarget(peer: ConnectedPeer, message: StateMessage | StatsMessage): void {
    const to = message.to as PeerId | undefined;
    // reports about the probe connection are the client's side of a probe session
    if (to === undefined || to === PROBE_PEER_ID || (to !== peer.peerId && this.hub.members(peer.room).has(to))) return;
    if (to === peer.peerId) return this.unknownPeer(peer, message);
    this.directory.member(peer.room, to).then(
      (member) => (member ? this.hub.learn(peer.room, member) : this.unknownPeer(peer, message)),
      () => undefined,
    );
  }

  private unknownPeer(peer: ConnectedPeer, message: { to?: string; id?: string }): void {
    const detail =
      message.to === undefined
        ? 'no other peer of this room has been announced to you yet: wait for peer-joined, or name the peer with `to`'
        : message.to === peer.peerId
          ? 'a peer cannot signal itself'
          : `no peer "${String(message.to).slice(0, 64)}" in this room`;
    this.sendError(peer, 'unknown-peer', detail, message.id);
  }

  private drainBacklog(peer: ConnectedPeer): void {
    const backlog = peer.backlog ?? [];
    peer.backlog = null;
    for (let i = 0; i < backlog.length; i++) {
      if (peer.backlog) {
        // another lookup started: keep the rest behind it, in order
        (peer.backlog as Buffer[]).push(...backlog.slice(i));
        return;
      }
      this.process(peer, backlog[i]);
    }
  }

  private rateLimited(peer: ConnectedPeer, scope: RateLimitScope, ref: string | undefined): void {
    // counted by scope in signaling_rate_limited_total; its reply counts as an `error` out
    this.sendError(peer, 'rate-limited', `${scope} message rate limit exceeded; the message was dropped`, ref);
  }

  private sendError(peer: ConnectedPeer, code: ErrorCode, message: string, ref: string | undefined): void {
    this.reply(peer, 'error', ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }

  private reply(peer: ConnectedPeer, type: string, frame: object): void {
    this.metrics.message(type, 'out');
    peer.send(JSON.stringify(frame));
  }
}

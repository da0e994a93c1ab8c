import { OnApplicationShutdown } from '@nestjs/common';
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Attributes, type Tracer } from '@opentelemetry/api';
import { formatTraceparent, parseTraceparent } from '@sg/platform';
import type { NodeMessage, RoomHub, RoomMember } from '@sg/room';
import { reportsConnected, type NodeId, type PeerId, type RoomId, type SessionEvent, type SignalType, type StateReportedEvent } from '@sg/schema';
import { classifyCandidate, sessionIdFor } from '@sg/session';
import { OpenRootSpans } from './open-root-spans';
import { TracedSessions, type Admission, type SessionTrace } from './traced-sessions';

// importers of this module read the tracing bounds here
export { ROOT_SPAN_MAX_MS } from './open-root-spans';
export { TRACED_SESSIONS_MAX } from './traced-sessions';

/**
 * One trace per session (PROTOCOL section 2), across the gateway nodes and into the indexer
 * (docs/operations.md, "Tracing"). The offerer's node starts the session's root span when the
 * pair's first offer is relayed, from the later of the two peers' joins; every signal relayed is
 * a span under it, on the sender's node (`signal offer`) and, across nodes, on the receiver's
 * (`deliver offer`), which learns the root's context from the node message (NodeMessage.trace)
 * and continues the trace for its own peer's signals and reports (`state connected`). Session
 * events carry the root as `traceparent`, so the indexer's writes join the trace and the document
 * gets its `trace_id`. The root ends with the offerer's first report of the connection
 * (connected, failed, closed), a departure, or after ROOT_SPAN_MAX_MS.
 *
 * With tracing off (`on` false) nothing here is called: the relay path tests `on` and does no other work.
 */
export class SessionTracing implements OnApplicationShutdown {
  readonly on: boolean;
  private readonly roots: OpenRootSpans;
  private readonly traced: TracedSessions;

  constructor(
    private readonly node: NodeId,
    private readonly tracer: Tracer | null,
    private readonly hub: Pick<RoomHub, 'members'>,
    private readonly now: () => number = Date.now,
  ) {
    this.on = tracer !== null;
    this.roots = new OpenRootSpans(now);
    this.traced = new TracedSessions((session, outcome) => this.roots.end(session, outcome, this.now()));
  }

  /**
   * A signal is about to be relayed from a local peer: the first offer of a pair starts its
   * trace. Returns the trace context of the sessions with peers on other nodes, for the node
   * messages; undefined when there is none.
   */
  relaying(room: RoomId, from: PeerId, type: SignalType, targets: readonly RoomMember[]): Pick<NodeMessage, 'trace'> | undefined {
    let remote: string | undefined;
    for (const target of targets) {
      const session = this.traced.session(room, from, target.peerId) ?? (type === 'offer' ? this.startSession(room, from, target) : undefined);
      if (session && target.node !== this.node) remote = `${remote === undefined ? '' : `${remote},`}${target.peerId}=${session.traceparent}`;
    }
    return remote === undefined ? undefined : { trace: remote };
  }

  /** A message from another node (called for every one while tracing is on): continues its sessions' traces here. */
  received(message: NodeMessage): void {
    if (message.left !== undefined) this.traced.forgetPeer(message.room, message.left);
    if (message.trace === undefined || message.from === undefined) return;
    const now = this.now();
    for (const entry of message.trace.split(',')) {
      const at = entry.indexOf('=');
      const peer = entry.slice(0, at) as PeerId;
      if (at <= 0 || !message.to.includes(peer)) continue;
      const session = this.traced.session(message.room, message.from, peer) ?? this.adoptSession(message.room, message.from, peer, entry.slice(at + 1));
      // an unsampled session only needs its context kept: its spans would record nothing
      if (!session?.sampled) continue;
      this.tracer
        ?.startSpan(
          `deliver ${message.type}`,
          { kind: SpanKind.CONSUMER, startTime: Math.min(message.sentAt, now), attributes: { 'signaling.from': message.from, 'signaling.to': peer, 'signaling.node': this.node } },
          session.parent,
        )
        .end(now);
    }
  }

  /** A session event this node writes: spans for signals and reports, and the session's `traceparent` on it. */
  recorded(event: SessionEvent): void {
    switch (event.kind) {
      case 'peer-joined':
      case 'peer-resumed':
        this.traced.admitted(event.room, event.peer, { start: event.t, end: this.now(), resumed: event.kind === 'peer-resumed' });
        return;
      case 'peer-left':
        this.traced.forgetPeer(event.room, event.peer);
        return;
      case 'signal': {
        const session = this.traced.session(event.room, event.from, event.to);
        if (!session?.sampled) return;
        event.traceparent = session.traceparent;
        const attributes: Attributes = { 'signaling.from': event.from, 'signaling.to': event.to, 'signaling.node': this.node };
        if (event.candidate !== undefined) {
          attributes['signaling.candidate_type'] = event.candidate === '' ? 'end-of-candidates' : (classifyCandidate(event.candidate).kind ?? 'unknown');
        }
        if (event.iceUfrag !== undefined) attributes['signaling.ice_ufrag'] = event.iceUfrag;
        // the relay itself is synchronous, microseconds: a span of the event's moment
        this.tracer?.startSpan(`signal ${event.signal}`, { kind: SpanKind.PRODUCER, startTime: event.t, attributes }, session.parent).end(event.t);
        return;
      }
      case 'state':
      case 'stats': {
        if (event.to === undefined) return;
        const session = this.traced.session(event.room, event.peer, event.to);
        if (!session) return;
        if (session.sampled) event.traceparent = session.traceparent;
        if (event.kind === 'state') this.stateReported(session, event);
        return;
      }
    }
  }

  /** Ends the root spans still open, so the SDK exports them when it flushes after the app closed. */
  onApplicationShutdown(): void {
    this.roots.endAll('node-shutdown');
  }

  private startSession(room: RoomId, from: PeerId, target: RoomMember): SessionTrace | undefined {
    if (!this.tracer) return undefined;
    const now = this.now();
    const admission = this.traced.admission(room, from);
    const offererJoinedAt = admission?.start ?? this.hub.members(room).get(from)?.joinedAt ?? now;
    // the pair exists from the later of the two joins: that join belongs to this session, the earlier one does not
    const startedAt = Math.min(now, Math.max(offererJoinedAt, target.joinedAt));
    const root = this.tracer.startSpan(
      'session',
      {
        kind: SpanKind.INTERNAL,
        startTime: startedAt,
        attributes: {
          'signaling.session_id': sessionIdFor(room, from, target.peerId),
          'signaling.room': room,
          'signaling.peer_a': from,
          'signaling.peer_b': target.peerId,
          'signaling.node_a': this.node,
          'signaling.node_b': target.node,
        },
      },
      ROOT_CONTEXT,
    );
    const context = root.spanContext();
    const session: SessionTrace = {
      room,
      peers: [from, target.peerId],
      parent: trace.setSpan(ROOT_CONTEXT, root),
      traceparent: formatTraceparent(context),
      sampled: (context.traceFlags & TraceFlags.SAMPLED) !== 0,
      root,
      rootStartedAt: now,
    };
    this.traced.add(session);
    this.roots.opened(session);
    if (admission && admission.start >= target.joinedAt) this.joinSpan(session, from, admission);
    return session;
  }

  /** The first traced message of a session for a local peer: its trace goes on here. */
  private adoptSession(room: RoomId, from: PeerId, local: PeerId, traceparent: string): SessionTrace | undefined {
    const context = parseTraceparent(traceparent);
    if (!context) return undefined;
    const session: SessionTrace = {
      room,
      peers: [from, local],
      parent: trace.setSpanContext(ROOT_CONTEXT, context),
      traceparent,
      sampled: (context.traceFlags & TraceFlags.SAMPLED) !== 0,
      root: null,
      rootStartedAt: this.now(),
    };
    this.traced.add(session);
    const admission = this.traced.admission(room, local);
    const otherJoinedAt = this.hub.members(room).get(from)?.joinedAt ?? 0;
    if (admission && admission.start >= otherJoinedAt) this.joinSpan(session, local, admission);
    return session;
  }

  private joinSpan(session: SessionTrace, peer: PeerId, admission: Admission): void {
    if (!session.sampled) return;
    this.tracer
      ?.startSpan(
        'join',
        { kind: SpanKind.SERVER, startTime: admission.start, attributes: { 'signaling.peer': peer, 'signaling.node': this.node, 'signaling.resumed': admission.resumed } },
        session.parent,
      )
      .end(admission.end);
  }

  /**
   * A report of the connection: a span when it says how the connection is (not only signaling
   * or gathering) and the session is sampled; the offerer's first outcome ends the root.
   */
  private stateReported(session: SessionTrace, event: StateReportedEvent): void {
    const shown = event.connectionState ?? event.iceConnectionState ?? (event.reason !== undefined ? 'reason' : undefined);
    if (shown === undefined) return;
    if (session.sampled) {
      const attributes: Attributes = { 'signaling.peer': event.peer, 'signaling.node': this.node };
      if (event.connectionState !== undefined) attributes['signaling.connection_state'] = event.connectionState;
      if (event.iceConnectionState !== undefined) attributes['signaling.ice_connection_state'] = event.iceConnectionState;
      if (event.reason !== undefined) attributes['signaling.reason'] = event.reason;
      this.tracer?.startSpan(`state ${shown}`, { kind: SpanKind.INTERNAL, startTime: event.t, attributes }, session.parent).end(event.t);
    }
    if (session.root && event.peer === session.peers[0]) {
      const outcome = outcomeOf(event);
      if (outcome) this.roots.end(session, outcome, event.t);
    }
  }
}

/** How a report of the offerer settles its session's negotiation, if it does: the root ends then. */
function outcomeOf(event: StateReportedEvent): 'connected' | 'failed' | 'closed' | null {
  if (reportsConnected(event)) return 'connected';
  if (event.connectionState === 'failed' || event.iceConnectionState === 'failed') return 'failed';
  return event.connectionState === 'closed' ? 'closed' : null;
}

import { PeerJoinedEvent } from './session-events/peer-joined.event';
import { PeerLeftEvent } from './session-events/peer-left.event';
import { PeerResumedEvent } from './session-events/peer-resumed.event';
import { SignalRelayedEvent } from './session-events/signal-relayed.event';
import { StateReportedEvent } from './session-events/state-reported.event';
import { StatsReportedEvent } from './session-events/stats-reported.event';

export * from './session-events/session-event-base';
export * from './session-events/peer-joined.event';
export * from './session-events/peer-left.event';
export * from './session-events/peer-resumed.event';
export * from './session-events/signal-relayed.event';
export * from './session-events/state-reported.event';
export * from './session-events/stats-reported.event';

/**
 * What the gateway tells the indexer, through a durable Redis stream. Times are
 * Unix milliseconds. The indexer folds these into session documents (section 2).
 * Classes so the indexer can validate what it reads; the gateway builds them as
 * object literals, so they hold fields only (no methods, no private members).
 */
export type SessionEvent =
  | PeerJoinedEvent
  | PeerLeftEvent
  | PeerResumedEvent
  | SignalRelayedEvent
  | StateReportedEvent
  | StatsReportedEvent;

export type SessionEventKind = SessionEvent['kind'];

export const SESSION_EVENT_CLASSES = {
  'peer-joined': PeerJoinedEvent,
  'peer-left': PeerLeftEvent,
  'peer-resumed': PeerResumedEvent,
  signal: SignalRelayedEvent,
  state: StateReportedEvent,
  stats: StatsReportedEvent,
} as const satisfies Record<SessionEventKind, new () => SessionEvent>;

export const SESSION_EVENT_KINDS = Object.keys(SESSION_EVENT_CLASSES) as SessionEventKind[];

import { AnswerMessage } from './answer.message';
import { ByeMessage } from './bye.message';
import { CandidateMessage } from './candidate.message';
import { OfferMessage } from './offer.message';
import { PingMessage } from './ping.message';
import { StateMessage } from './state.message';
import { StatsMessage } from './stats.message';

/** Every message a client may send (PROTOCOL section 1, client to server). */
export type ClientMessage =
  | OfferMessage
  | AnswerMessage
  | CandidateMessage
  | StateMessage
  | StatsMessage
  | PingMessage
  | ByeMessage;

export type ClientMessageType = ClientMessage['type'];

/** Signals are the messages relayed to other peers. */
export type SignalMessage = OfferMessage | AnswerMessage | CandidateMessage;
export type SignalType = SignalMessage['type'];

export const CLIENT_MESSAGE_CLASSES = {
  offer: OfferMessage,
  answer: AnswerMessage,
  candidate: CandidateMessage,
  state: StateMessage,
  stats: StatsMessage,
  ping: PingMessage,
  bye: ByeMessage,
} as const satisfies Record<ClientMessageType, new () => ClientMessage>;

export const CLIENT_MESSAGE_TYPES = Object.keys(CLIENT_MESSAGE_CLASSES) as ClientMessageType[];

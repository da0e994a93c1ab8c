import type { AnswerMessage } from '../client-messages/answer.message';
import type { CandidateMessage } from '../client-messages/candidate.message';
import type { OfferMessage } from '../client-messages/offer.message';
import type { PeerId } from '../ids';
import type { RelayedAnswer, RelayedCandidate, RelayedOffer } from './server-message';

/**
 * The frame a signal's receivers get: the sender's protocol fields with `from`
 * instead of `to`. Only known fields are copied, so nothing a client adds is relayed.
 */
export function relayedFrame(message: OfferMessage | AnswerMessage | CandidateMessage, from: PeerId): RelayedOffer | RelayedAnswer | RelayedCandidate {
  if (message.type !== 'candidate') return { type: message.type, sdp: message.sdp, from };
  const frame: RelayedCandidate = { type: 'candidate', candidate: message.candidate, from };
  if (message.sdpMid !== undefined) frame.sdpMid = message.sdpMid;
  if (message.sdpMLineIndex !== undefined) frame.sdpMLineIndex = message.sdpMLineIndex;
  if (message.usernameFragment !== undefined) frame.usernameFragment = message.usernameFragment;
  return frame;
}

import { createHash } from 'node:crypto';
import type { PeerId, RoomId, SessionId } from '@sg/schema';

/**
 * A session is one pair of peers in a room (PROTOCOL section 2), and peer ids are never
 * reused, so the id is derived from the pair: every event about the pair finds its
 * document without a lookup, whichever side's event arrives first. 128 bits of SHA-256
 * in base64url keep it within Meilisearch's primary-key alphabet.
 */
export function sessionIdFor(room: RoomId, peer: PeerId, otherPeer: PeerId): SessionId {
  const [first, second] = peer < otherPeer ? [peer, otherPeer] : [otherPeer, peer];
  return createHash('sha256').update(`${room}\n${first}\n${second}`).digest('base64url').slice(0, 22) as SessionId;
}

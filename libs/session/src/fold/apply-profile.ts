import { PROBE_PEER_ID, type PeerId } from '@sg/schema';
import { sideOf } from './fold-updates';
import type { PeerProfile } from './session-fold-event';
import type { SessionFold } from './session-fold';

/** A peer's admission profile on its side; the same session back when nothing changes. */
export function withProfile(session: SessionFold, peer: PeerId, profile: PeerProfile): SessionFold {
  // the node's own peer is admitted by no one: its side keeps no user, address or user agent
  const side = peer === PROBE_PEER_ID ? null : sideOf(session, peer);
  if (!side) return session;
  const current = session[side];
  if (current.user === profile.user && current.remoteAddr === profile.remoteAddr && current.userAgent === profile.userAgent && current.node === profile.node) {
    return session;
  }
  return { ...session, [side]: { ...current, user: profile.user, remoteAddr: profile.remoteAddr, userAgent: profile.userAgent, node: profile.node } };
}

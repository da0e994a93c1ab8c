import type { PeerId } from '@sg/schema';
import type { RoomMember } from '../room-member';

export type RouteSignalResult =
  | { readonly ok: true; readonly targets: RoomMember[] }
  | { readonly ok: false; readonly code: 'unknown-peer' };

/**
 * Who receives a signal from `from`: the peer named by `to`, or every other
 * peer of the room. `members` is one room's view, so a signal can never leave
 * its room; naming yourself or an absent peer is `unknown-peer`, and so is a
 * room-wide signal while the view holds no other peer (none announced yet).
 */
export function routeSignal(
  members: ReadonlyMap<PeerId, RoomMember>,
  from: PeerId,
  to: PeerId | undefined,
): RouteSignalResult {
  if (to !== undefined) {
    const target = to === from ? undefined : members.get(to);
    return target ? { ok: true, targets: [target] } : { ok: false, code: 'unknown-peer' };
  }
  const targets: RoomMember[] = [];
  for (const member of members.values()) if (member.peerId !== from) targets.push(member);
  // a room-wide signal that reaches nobody is answered, never dropped in silence (PROTOCOL section 1)
  return targets.length > 0 ? { ok: true, targets } : { ok: false, code: 'unknown-peer' };
}

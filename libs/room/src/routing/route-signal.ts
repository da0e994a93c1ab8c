import type { PeerId } from '@sg/schema';
import type { RoomMember } from '../room-member';

export type RouteSignalResult =
  | { readonly ok: true; readonly targets: RoomMember[] }
  | { readonly ok: false; readonly code: 'unknown-peer' };

/**
 * Who receives a signal from `from`: the peer named by `to`, or every other
 * peer of the room. `members` is one room's view, so a signal can never leave
 * its room; naming yourself or an absent peer is `unknown-peer`.
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
  return { ok: true, targets };
}

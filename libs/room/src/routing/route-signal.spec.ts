import type { NodeId, PeerId } from '@sg/schema';
import type { RoomMember } from '../room-member';
import { routeSignal } from './route-signal';

function member(peerId: string, node = 'node-a'): RoomMember {
  return { peerId: peerId as PeerId, node: node as NodeId, user: null, joinedAt: 0 };
}

function room(...members: RoomMember[]): Map<PeerId, RoomMember> {
  return new Map(members.map((m) => [m.peerId, m]));
}

const alice = member('alice');
const bob = member('bob', 'node-b');
const carol = member('carol');

describe(routeSignal.name, () => {
  it('routes a signal addressed to a member to that member only', () => {
    expect(routeSignal(room(alice, bob, carol), alice.peerId, bob.peerId)).toEqual({ ok: true, targets: [bob] });
  });

  it('refuses a signal addressed to its sender as unknown-peer', () => {
    expect(routeSignal(room(alice, bob), alice.peerId, alice.peerId)).toEqual({ ok: false, code: 'unknown-peer' });
  });

  it('refuses a signal addressed to a peer absent from the room as unknown-peer', () => {
    expect(routeSignal(room(alice, bob), alice.peerId, 'dave' as PeerId)).toEqual({ ok: false, code: 'unknown-peer' });
  });

  it('routes a room-wide signal to every member but the sender', () => {
    expect(routeSignal(room(alice, bob, carol), alice.peerId, undefined)).toEqual({ ok: true, targets: [bob, carol] });
  });

  it('refuses a room-wide signal while no other peer is known: it would reach nobody', () => {
    expect(routeSignal(room(alice), alice.peerId, undefined)).toEqual({ ok: false, code: 'unknown-peer' });
  });
});

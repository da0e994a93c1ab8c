import type { NodeId, PeerId } from '@sg/schema';
import type { RoomMember } from '../room-member';
import { groupByNode } from './group-by-node';

function member(peerId: string, node: string): RoomMember {
  return { peerId: peerId as PeerId, node: node as NodeId, user: null, joinedAt: 0 };
}

describe(groupByNode.name, () => {
  it('returns an empty map for no members', () => {
    expect(groupByNode([]).size).toBe(0);
  });

  it('groups peer ids by node, keeping their order', () => {
    const grouped = groupByNode([member('p1', 'n1'), member('p2', 'n2'), member('p3', 'n1'), member('p4', 'n3')]);

    expect([...grouped]).toEqual([
      ['n1', ['p1', 'p3']],
      ['n2', ['p2']],
      ['n3', ['p4']],
    ]);
  });

  it('accepts any iterable, such as a map of members', () => {
    const members = new Map([['p1', member('p1', 'n1')], ['p2', member('p2', 'n1')]]);

    expect(groupByNode(members.values()).get('n1' as NodeId)).toEqual(['p1', 'p2']);
  });
});

import type { NodeId, PeerId } from '@sg/schema';
import type { RoomMember } from '../room-member';

/** Peer ids per node, so a fan-out costs one publish per remote node, not per peer. */
export function groupByNode(members: Iterable<RoomMember>): Map<NodeId, PeerId[]> {
  const byNode = new Map<NodeId, PeerId[]>();
  for (const member of members) {
    const peers = byNode.get(member.node);
    if (peers) peers.push(member.peerId);
    else byNode.set(member.node, [member.peerId]);
  }
  return byNode;
}

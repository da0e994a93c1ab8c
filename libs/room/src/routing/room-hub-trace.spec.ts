import type { NodeId, PeerId, RoomId } from '@sg/schema';
import type { NodeMessage } from '../ports/node-message';
import { PeerBus } from '../ports/peer-bus';
import type { RoomMember } from '../room-member';
import { RoomHub } from './room-hub';

const THIS_NODE = 'node-a' as NodeId;
const NODE_B = 'node-b' as NodeId;
const ROOM = 'room-1' as RoomId;
const NOW = 1_700_000_000_000;
const TRACE = 'pb=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

class RecordingPeerBus extends PeerBus {
  readonly published: Array<{ node: NodeId; message: NodeMessage }> = [];
  publish(node: NodeId, message: NodeMessage): void {
    this.published.push({ node, message });
  }

  async subscribe(): Promise<void> {
    // never called by RoomHub
  }
}

function member(peerId: string, node: NodeId): RoomMember {
  return { peerId: peerId as PeerId, node, user: null, joinedAt: NOW };
}

// docs/operations.md, "Tracing": the session's trace goes with the signal to the receiver's node
describe(`${RoomHub.name}: trace context`, () => {
  it('puts the trace on the message to another node', () => {
    const bus = new RecordingPeerBus();
    const hub = new RoomHub(THIS_NODE, bus, { delivered: () => undefined }, () => NOW);

    hub.deliver(ROOM, [member('pb', NODE_B)], '{"type":"offer"}', 'offer', 'pa' as PeerId, { trace: TRACE });

    expect(bus.published).toEqual([{ node: NODE_B, message: { room: ROOM, to: ['pb'], frame: '{"type":"offer"}', type: 'offer', from: 'pa', sentAt: NOW, trace: TRACE } }]);
  });

  it('sends no trace field without one', () => {
    const bus = new RecordingPeerBus();
    const hub = new RoomHub(THIS_NODE, bus, { delivered: () => undefined }, () => NOW);

    hub.deliver(ROOM, [member('pb', NODE_B)], '{"type":"offer"}', 'offer', 'pa' as PeerId);

    expect('trace' in bus.published[0].message).toBe(false);
  });
});

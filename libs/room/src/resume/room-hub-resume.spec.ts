import type { NodeId, PeerId, RoomId } from '@sg/schema';
import type { NodeMessage } from '../ports/node-message';
import { PeerBus } from '../ports/peer-bus';
import type { PeerSink } from '../ports/peer-sink';
import type { RoomMember } from '../room-member';
import { RoomHub } from '../routing/room-hub';

const THIS_NODE = 'node-a' as NodeId;
const NODE_B = 'node-b' as NodeId;
const ROOM = 'room-1' as RoomId;
const NOW = 1_700_000_000_000;

class RecordingPeerBus extends PeerBus {
  readonly published: Array<{ node: NodeId; message: NodeMessage }> = [];
  publish(node: NodeId, message: NodeMessage): void {
    this.published.push({ node, message });
  }
  async subscribe(): Promise<void> {
    // never called by RoomHub
  }
}

class RecordingSink implements PeerSink {
  readonly frames: string[] = [];
  supersededCount = 0;
  send(frame: string): void {
    this.frames.push(frame);
  }
  superseded(): void {
    this.supersededCount++;
  }
}

const member = (peerId: string, node: NodeId = THIS_NODE): RoomMember => ({ peerId: peerId as PeerId, node, user: null, joinedAt: NOW });
const offer = (n: number) => JSON.stringify({ type: 'offer', sdp: `v=${n}`, from: 'b' });

function setup() {
  const bus = new RecordingPeerBus();
  const hub = new RoomHub(THIS_NODE, bus, { delivered: () => undefined }, () => NOW);
  const undeliverable: Array<{ peerId: PeerId; frame: string; unreachable: NodeId | null }> = [];
  hub.onUndeliverable((_room, peerId, frame, _type, _from, unreachable) => undeliverable.push({ peerId, frame, unreachable }));
  return { hub, bus, undeliverable };
}

function join(hub: RoomHub, self: RoomMember, others: RoomMember[] = []): RecordingSink {
  const sink = new RecordingSink();
  hub.beginJoin(ROOM, self.peerId);
  hub.completeJoin(self, ROOM, others, sink, '{"type":"welcome"}');
  return sink;
}

describe(`${RoomHub.name} resume`, () => {
  it('sends the new welcome, then the buffered frames, then what queued during the resume, and announces no join', () => {
    const { hub, bus } = setup();
    hub.beginResume(ROOM, 'a' as PeerId);
    hub.receive({ room: ROOM, to: ['a' as PeerId], frame: offer(3), type: 'offer', sentAt: NOW });
    const sink = new RecordingSink();

    hub.completeResume(member('a'), ROOM, [member('b', NODE_B)], sink, '{"type":"welcome"}', [offer(1), offer(2)], NODE_B);

    expect(sink.frames).toEqual(['{"type":"welcome"}', offer(1), offer(2), offer(3)]);
    expect(bus.published).toEqual([{ node: NODE_B, message: { room: ROOM, to: [], frame: '', type: 'peer-moved', sentAt: NOW, joined: member('a') } }]);
  });

  it('tells the node that hosted the peer before, even when no other member is there', () => {
    const { hub, bus } = setup();
    hub.beginResume(ROOM, 'a' as PeerId);

    hub.completeResume(member('a'), ROOM, [], new RecordingSink(), '{}', [], 'node-old' as NodeId);

    expect(bus.published.map((p) => p.node)).toEqual(['node-old']);
  });

  it('supersedes a socket of the same peer still attached here', () => {
    const { hub } = setup();
    const old = join(hub, member('a'));

    hub.beginResume(ROOM, 'a' as PeerId);

    expect(old.supersededCount).toBe(1);
  });

  it('drops the slot of a peer that resumed on another node, and supersedes its old socket', () => {
    const { hub } = setup();
    join(hub, member('c'), [member('a')]);
    hub.beginJoin(ROOM, 'a' as PeerId);
    const old = new RecordingSink();
    hub.completeJoin(member('a'), ROOM, [member('c')], old, '{}');

    hub.receive({ room: ROOM, to: [], frame: '', type: 'peer-moved', sentAt: NOW, joined: member('a', NODE_B) });

    expect(old.supersededCount).toBe(1);
    expect(hub.isLocal(ROOM, 'a' as PeerId)).toBe(false);
    expect(hub.members(ROOM).get('a' as PeerId)).toEqual(member('a', NODE_B));
  });

  it('hands a frame for a detached peer over instead of dropping it', () => {
    const { hub, undeliverable } = setup();
    join(hub, member('a'));
    hub.detach(ROOM, 'a' as PeerId);

    hub.receive({ room: ROOM, to: ['a' as PeerId], frame: offer(1), type: 'offer', sentAt: NOW });

    expect(undeliverable).toEqual([{ peerId: 'a', frame: offer(1), unreachable: null }]);
  });

  it('hands over frames for a room this node no longer hosts', () => {
    const { hub, undeliverable } = setup();

    hub.receive({ room: ROOM, to: ['gone' as PeerId], frame: offer(1), type: 'offer', sentAt: NOW });

    expect(undeliverable).toEqual([{ peerId: 'gone', frame: offer(1), unreachable: null }]);
  });

  it('hands over the frames of a publish that reached no node, naming that node', () => {
    const { hub, undeliverable } = setup();

    hub.undelivered(NODE_B, { room: ROOM, to: ['b' as PeerId, 'c' as PeerId], frame: offer(1), type: 'offer', sentAt: NOW });

    expect(undeliverable.map((u) => [u.peerId, u.unreachable])).toEqual([
      ['b', NODE_B],
      ['c', NODE_B],
    ]);
  });

  it('hands a frame that came back undelivered to a peer that has resumed here meanwhile', () => {
    const { hub, undeliverable } = setup();
    hub.beginResume(ROOM, 'b' as PeerId);
    const sink = new RecordingSink();
    hub.completeResume(member('b'), ROOM, [], sink, '{"type":"welcome"}', [], NODE_B);

    hub.undelivered(NODE_B, { room: ROOM, to: ['b' as PeerId], frame: offer(1), type: 'offer', sentAt: NOW });

    expect(sink.frames).toEqual(['{"type":"welcome"}', offer(1)]);
    expect(undeliverable).toEqual([]);
  });
});

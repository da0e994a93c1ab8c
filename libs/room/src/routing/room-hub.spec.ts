import type { NodeId, PeerId, RoomId } from '@sg/schema';
import type { NodeMessage } from '../ports/node-message';
import { PeerBus } from '../ports/peer-bus';
import type { PeerSink } from '../ports/peer-sink';
import { frameText, type SerializedFrame } from '../ports/serialized-frame';
import type { RoomMember } from '../room-member';
import { DeliveryObserver, RoomHub } from './room-hub';

const THIS_NODE = 'node-a' as NodeId;
const NODE_B = 'node-b' as NodeId;
const NODE_C = 'node-c' as NodeId;
const ROOM = 'room-1' as RoomId;
const OTHER_ROOM = 'room-2' as RoomId;
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

class RecordingObserver implements DeliveryObserver {
  readonly deliveries: Array<{ room: RoomId; to: PeerId; type: string; from: PeerId | undefined }> = [];

  delivered(room: RoomId, to: PeerId, type: string, from: PeerId | undefined): void {
    this.deliveries.push({ room, to, type, from });
  }
}

class RecordingSink implements PeerSink {
  readonly frames: SerializedFrame[] = [];

  send(frame: SerializedFrame): void {
    this.frames.push(frame);
  }

  get parsed(): unknown[] {
    return this.frames.map((frame) => JSON.parse(frameText(frame)));
  }
}

function member(peerId: string, node: NodeId = THIS_NODE, name?: string): RoomMember {
  return { peerId: peerId as PeerId, node, user: null, joinedAt: NOW, ...(name === undefined ? {} : { name }) };
}

function welcomeOf(self: RoomMember): string {
  return JSON.stringify({ type: 'welcome', peerId: self.peerId });
}

function setup(): { hub: RoomHub; bus: RecordingPeerBus; observer: RecordingObserver } {
  const bus = new RecordingPeerBus();
  const observer = new RecordingObserver();
  return { hub: new RoomHub(THIS_NODE, bus, observer, () => NOW), bus, observer };
}

/** Joins a local peer end to end and returns its sink. */
function join(hub: RoomHub, room: RoomId, self: RoomMember, others: RoomMember[] = []): RecordingSink {
  const sink = new RecordingSink();
  hub.beginJoin(room, self.peerId);
  hub.completeJoin(self, room, others, sink, welcomeOf(self));
  return sink;
}

function remoteMessage(overrides: Partial<NodeMessage> & Pick<NodeMessage, 'to'>): NodeMessage {
  return { room: ROOM, frame: '{"type":"offer","sdp":"v=0","from":"r1"}', type: 'offer', from: 'r1' as PeerId, sentAt: NOW, ...overrides };
}

describe(RoomHub.name, () => {
  describe('completeJoin', () => {
    it('sends welcome first, then the frames queued during the join, in order', () => {
      const { hub } = setup();
      const self = member('p1');
      const sink = new RecordingSink();
      hub.beginJoin(ROOM, self.peerId);
      hub.receive(remoteMessage({ to: [self.peerId], frame: 'queued-1' }));
      hub.receive(remoteMessage({ to: [self.peerId], frame: 'queued-2' }));
      hub.completeJoin(self, ROOM, [member('r1', NODE_B)], sink, welcomeOf(self));

      expect(sink.frames).toEqual([welcomeOf(self), 'queued-1', 'queued-2']);
    });

    it('queues frames for a pending peer instead of dropping them', () => {
      const { hub, observer } = setup();
      const self = member('p1');
      hub.beginJoin(ROOM, self.peerId);
      hub.deliver(ROOM, [self], 'early', 'offer', 'p0' as PeerId);

      expect(observer.deliveries).toEqual([{ room: ROOM, to: self.peerId, type: 'offer', from: 'p0' }]);
    });

    it('learns the other members and itself', () => {
      const { hub } = setup();
      const self = member('p1');
      join(hub, ROOM, self, [member('r1', NODE_B), member('r2', NODE_C)]);

      expect([...hub.members(ROOM).keys()].sort()).toEqual(['p1', 'r1', 'r2']);
    });

    it('announces peer-joined to local others directly', () => {
      const { hub, bus } = setup();
      const first = member('p0');
      const firstSink = join(hub, ROOM, first);
      join(hub, ROOM, member('p1', THIS_NODE, 'Ann'), [first]);

      expect(firstSink.parsed).toEqual([{ type: 'welcome', peerId: 'p0' }, { type: 'peer-joined', peerId: 'p1', name: 'Ann' }]);
      expect(bus.published).toEqual([]);
    });

    it('leaves name out of peer-joined for a peer without one', () => {
      const { hub } = setup();
      const first = member('p0');
      const firstSink = join(hub, ROOM, first);
      join(hub, ROOM, member('p1'), [first]);

      expect(firstSink.frames[1]).toBe('{"type":"peer-joined","peerId":"p1"}');
    });

    it('announces to remote others with one publish per node carrying joined', () => {
      const { hub, bus } = setup();
      const self = member('p1', THIS_NODE, 'Ann');
      join(hub, ROOM, self, [member('b1', NODE_B), member('c1', NODE_C), member('b2', NODE_B)]);

      const frame = JSON.stringify({ type: 'peer-joined', peerId: 'p1', name: 'Ann' });
      expect(bus.published).toEqual([
        { node: NODE_B, message: { room: ROOM, to: ['b1', 'b2'], frame, type: 'peer-joined', from: undefined, sentAt: NOW, joined: self } },
        { node: NODE_C, message: { room: ROOM, to: ['c1'], frame, type: 'peer-joined', from: undefined, sentAt: NOW, joined: self } },
      ]);
    });

    it('does not announce the newcomer to itself', () => {
      const { hub } = setup();
      const self = member('p1');
      const sink = join(hub, ROOM, self, []);

      expect(sink.frames).toEqual([welcomeOf(self)]);
    });

    it('throws without a pending join', () => {
      const { hub } = setup();

      expect(() => hub.completeJoin(member('p1'), ROOM, [], new RecordingSink(), '{}')).toThrow(/no pending join/);
    });

    it('keeps a member the node already knows rather than the snapshot copy', () => {
      const { hub } = setup();
      const known = member('r1', NODE_B, 'fresh');
      hub.beginJoin(ROOM, 'p1' as PeerId);
      hub.receive(remoteMessage({ to: [], joined: known }));
      hub.completeJoin(member('p1'), ROOM, [member('r1', NODE_B, 'stale')], new RecordingSink(), '{}');

      expect(hub.members(ROOM).get(known.peerId)).toBe(known);
    });
  });

  describe('departures while a join is pending', () => {
    it('does not re-add a remote member announced gone while the join was pending', () => {
      const { hub } = setup();
      const gone = member('r1', NODE_B);
      join(hub, ROOM, member('p0'), [gone]);
      hub.beginJoin(ROOM, 'p1' as PeerId);
      hub.receive(remoteMessage({ to: ['p0' as PeerId], left: gone.peerId, type: 'peer-left', frame: '{}' }));
      hub.completeJoin(member('p1'), ROOM, [member('p0'), gone], new RecordingSink(), '{}');

      expect(hub.members(ROOM).has(gone.peerId)).toBe(false);
    });

    it('ignores a late joined announcement of a member that left while the join was pending', () => {
      const { hub } = setup();
      const gone = member('r1', NODE_B);
      join(hub, ROOM, member('p0'));
      hub.beginJoin(ROOM, 'p1' as PeerId);
      hub.receive(remoteMessage({ to: [], left: gone.peerId }));
      hub.receive(remoteMessage({ to: [], joined: gone }));

      expect(hub.members(ROOM).has(gone.peerId)).toBe(false);
    });

    it('forgets the departures once no join is pending', () => {
      const { hub } = setup();
      const returning = member('r1', NODE_B);
      join(hub, ROOM, member('p0'));
      hub.beginJoin(ROOM, 'p1' as PeerId);
      hub.receive(remoteMessage({ to: [], left: returning.peerId }));
      hub.completeJoin(member('p1'), ROOM, [], new RecordingSink(), '{}');
      hub.learn(ROOM, returning);

      expect(hub.members(ROOM).has(returning.peerId)).toBe(true);
    });

    it('does not re-add a member that left through this node while the join was pending', () => {
      const { hub } = setup();
      const leaver = member('p0');
      const newcomer = member('p1');
      join(hub, ROOM, leaver);
      hub.beginJoin(ROOM, newcomer.peerId);
      // the directory admitted p1 before p0's leave: p1's snapshot still lists p0
      hub.announceLeave(ROOM, leaver.peerId, 'bye', [newcomer]);
      hub.completeJoin(newcomer, ROOM, [leaver], new RecordingSink(), '{}');

      expect(hub.members(ROOM).has(leaver.peerId)).toBe(false);
    });

    it('does not re-add a member of a dead node reaped here while the join was pending', () => {
      const { hub } = setup();
      const reaped = member('c1', NODE_C);
      const newcomer = member('p1');
      join(hub, ROOM, member('p0'), [reaped]);
      hub.beginJoin(ROOM, newcomer.peerId);
      hub.announceLeave(ROOM, reaped.peerId, 'node-lost', [member('p0'), newcomer]);
      hub.completeJoin(newcomer, ROOM, [member('p0'), reaped], new RecordingSink(), '{}');

      expect(hub.members(ROOM).has(reaped.peerId)).toBe(false);
    });
  });

  describe('receive', () => {
    it('applies a joined announcement to the membership', () => {
      const { hub } = setup();
      join(hub, ROOM, member('p0'));
      const newcomer = member('r1', NODE_B, 'Bo');
      hub.receive(remoteMessage({ to: [], joined: newcomer }));

      expect(hub.members(ROOM).get(newcomer.peerId)).toEqual(newcomer);
    });

    it('applies a left announcement to the membership', () => {
      const { hub } = setup();
      join(hub, ROOM, member('p0'), [member('r1', NODE_B)]);
      hub.receive(remoteMessage({ to: [], left: 'r1' as PeerId }));

      expect(hub.members(ROOM).has('r1' as PeerId)).toBe(false);
    });

    it('delivers the frame to the listed local peers only', () => {
      const { hub } = setup();
      const sink0 = join(hub, ROOM, member('p0'));
      const sink1 = join(hub, ROOM, member('p1'), [member('p0')]);
      const before = [sink0.frames.length, sink1.frames.length];
      hub.receive(remoteMessage({ to: ['p1' as PeerId], frame: 'for-p1' }));

      expect(sink0.frames.length).toBe(before[0]);
      expect(sink1.frames.slice(before[1])).toEqual(['for-p1']);
    });

    it('tells the observer about each local delivery', () => {
      const { hub, observer } = setup();
      join(hub, ROOM, member('p0'));
      observer.deliveries.length = 0;
      hub.receive(remoteMessage({ to: ['p0' as PeerId], type: 'answer', from: 'r1' as PeerId }));

      expect(observer.deliveries).toEqual([{ room: ROOM, to: 'p0', type: 'answer', from: 'r1' }]);
    });

    it('skips listed peers that are not local', () => {
      const { hub, observer } = setup();
      join(hub, ROOM, member('p0'));
      observer.deliveries.length = 0;
      hub.receive(remoteMessage({ to: ['nobody' as PeerId] }));

      expect(observer.deliveries).toEqual([]);
    });

    it('never delivers a frame to a peer of another room', () => {
      const { hub, observer } = setup();
      join(hub, ROOM, member('a1'));
      const otherSink = join(hub, OTHER_ROOM, member('b1'));
      const before = otherSink.frames.length;
      observer.deliveries.length = 0;
      hub.receive(remoteMessage({ room: ROOM, to: ['b1' as PeerId], frame: 'leak' }));

      expect(otherSink.frames.length).toBe(before);
      expect(observer.deliveries).toEqual([]);
    });

    it('ignores a message for a room without local peers', () => {
      const { hub } = setup();
      hub.receive(remoteMessage({ to: ['p0' as PeerId], joined: member('r1', NODE_B) }));

      expect(hub.roomCount).toBe(0);
      expect(hub.members(ROOM).size).toBe(0);
    });
  });

  describe('announceLeave', () => {
    it('drops the local slot and the membership of the leaver', () => {
      const { hub } = setup();
      join(hub, ROOM, member('p0'));
      join(hub, ROOM, member('p1'), [member('p0')]);
      hub.announceLeave(ROOM, 'p1' as PeerId, 'bye', [member('p0')]);

      expect(hub.isLocal(ROOM, 'p1' as PeerId)).toBe(false);
      expect(hub.members(ROOM).has('p1' as PeerId)).toBe(false);
    });

    it('stops delivering frames to the leaver', () => {
      const { hub } = setup();
      const leaver = member('p1');
      const sink = join(hub, ROOM, leaver, [member('p0')]);
      join(hub, ROOM, member('p0'));
      hub.announceLeave(ROOM, leaver.peerId, 'bye', [member('p0')]);
      const before = sink.frames.length;
      hub.deliver(ROOM, [leaver], 'late', 'offer', 'p0' as PeerId);

      expect(sink.frames.length).toBe(before);
    });

    it('tells the local remaining peers with peer-left and its reason', () => {
      const { hub } = setup();
      const stayer = member('p0');
      const sink = join(hub, ROOM, stayer);
      join(hub, ROOM, member('p1'), [stayer]);
      hub.announceLeave(ROOM, 'p1' as PeerId, 'timeout', [stayer]);

      expect(sink.parsed.at(-1)).toEqual({ type: 'peer-left', peerId: 'p1', reason: 'timeout' });
    });

    it('publishes left to each node of the remaining peers', () => {
      const { hub, bus } = setup();
      join(hub, ROOM, member('p1'));
      bus.published.length = 0;
      hub.announceLeave(ROOM, 'p1' as PeerId, 'disconnected', [member('b1', NODE_B), member('c1', NODE_C)]);

      const frame = JSON.stringify({ type: 'peer-left', peerId: 'p1', reason: 'disconnected' });
      expect(bus.published).toEqual([
        { node: NODE_B, message: { room: ROOM, to: ['b1'], frame, type: 'peer-left', from: undefined, sentAt: NOW, left: 'p1' } },
        { node: NODE_C, message: { room: ROOM, to: ['c1'], frame, type: 'peer-left', from: undefined, sentAt: NOW, left: 'p1' } },
      ]);
    });

    it('forgets the room when its last local peer leaves', () => {
      const { hub } = setup();
      join(hub, ROOM, member('p1'));
      hub.announceLeave(ROOM, 'p1' as PeerId, 'bye', []);

      expect(hub.roomCount).toBe(0);
    });
  });

  describe('detach', () => {
    it('keeps the detached peer a local member', () => {
      const { hub } = setup();
      join(hub, ROOM, member('p1'));
      hub.detach(ROOM, 'p1' as PeerId);

      expect(hub.members(ROOM).has('p1' as PeerId)).toBe(true);
      expect(hub.isLocal(ROOM, 'p1' as PeerId)).toBe(true);
    });

    it('drops frames for a detached peer', () => {
      const { hub, observer } = setup();
      const self = member('p1');
      const sink = join(hub, ROOM, self);
      hub.detach(ROOM, self.peerId);
      observer.deliveries.length = 0;
      hub.deliver(ROOM, [self], 'lost', 'offer', 'p0' as PeerId);

      expect(sink.frames).toEqual([welcomeOf(self)]);
      expect(observer.deliveries).toEqual([]);
    });
  });

  describe('forgetDetached', () => {
    it('forgets a held peer and, with it, a room that has no other local peer', () => {
      const { hub } = setup();
      join(hub, ROOM, member('p1'), [member('r1', NODE_B)]);
      hub.detach(ROOM, 'p1' as PeerId);

      expect(hub.forgetDetached(ROOM, 'p1' as PeerId)).toBe(true);
      expect(hub.isLocal(ROOM, 'p1' as PeerId)).toBe(false);
      expect(hub.roomCount).toBe(0);
    });

    it('keeps a peer that has its socket here, and one whose join is in progress', () => {
      const { hub } = setup();
      join(hub, ROOM, member('p1'));
      hub.beginJoin(ROOM, 'p2' as PeerId);

      expect(hub.forgetDetached(ROOM, 'p1' as PeerId)).toBe(false);
      expect(hub.forgetDetached(ROOM, 'p2' as PeerId)).toBe(false);
      expect(hub.isLocal(ROOM, 'p1' as PeerId)).toBe(true);
      expect(hub.roomCount).toBe(1);
    });

    it("drops a held peer's slot when another node announces that it left", () => {
      const { hub } = setup();
      join(hub, ROOM, member('p1'), [member('r1', NODE_B)]);
      join(hub, ROOM, member('p2'), [member('r1', NODE_B), member('p1')]);
      hub.detach(ROOM, 'p1' as PeerId);
      hub.receive(remoteMessage({ to: ['p2' as PeerId], frame: '{"type":"peer-left","peerId":"p1","reason":"timeout"}', type: 'peer-left', from: undefined, left: 'p1' as PeerId }));

      expect(hub.isLocal(ROOM, 'p1' as PeerId)).toBe(false);
      expect(hub.isLocal(ROOM, 'p2' as PeerId)).toBe(true);
      expect(hub.roomCount).toBe(1);
    });
  });

  describe('deliver', () => {
    it('stamps remote messages with the injected clock and the sender', () => {
      const { hub, bus } = setup();
      join(hub, ROOM, member('p1'));
      bus.published.length = 0;
      hub.deliver(ROOM, [member('b1', NODE_B)], 'frame', 'candidate', 'p1' as PeerId);

      expect(bus.published).toEqual([
        { node: NODE_B, message: { room: ROOM, to: ['b1'], frame: 'frame', type: 'candidate', from: 'p1', sentAt: NOW } },
      ]);
    });

    it('hands local peers a frame given as bytes as those bytes', () => {
      const { hub } = setup();
      const sink = join(hub, ROOM, member('p1'));
      const bytes = new TextEncoder().encode('{"type":"offer","sdp":"v=0","from":"p0"}');
      hub.deliver(ROOM, [member('p1')], bytes, 'offer', 'p0' as PeerId);

      expect(sink.frames[sink.frames.length - 1]).toBe(bytes);
    });

    it('publishes the text of a frame given as bytes to other nodes', () => {
      const { hub, bus } = setup();
      join(hub, ROOM, member('p1'));
      bus.published.length = 0;
      hub.deliver(ROOM, [member('b1', NODE_B)], new TextEncoder().encode('{"type":"answer","sdp":"é"}'), 'answer', 'p1' as PeerId);

      expect(bus.published.map(({ message }) => message.frame)).toEqual(['{"type":"answer","sdp":"é"}']);
    });

    it('hands the text of a frame given as bytes to the undeliverable handler', () => {
      const { hub } = setup();
      const undeliverable: unknown[] = [];
      hub.onUndeliverable((room, peerId, frame) => undeliverable.push(frame));
      join(hub, ROOM, member('p1'));
      hub.detach(ROOM, 'p1' as PeerId);
      hub.deliver(ROOM, [member('p1')], new TextEncoder().encode('{"type":"candidate","candidate":""}'), 'candidate', 'p0' as PeerId);

      expect(undeliverable).toEqual(['{"type":"candidate","candidate":""}']);
    });
  });

  describe('route', () => {
    it('refuses a signal addressed to a peer of another room', () => {
      const { hub } = setup();
      join(hub, ROOM, member('a1'));
      join(hub, OTHER_ROOM, member('b1'));

      expect(hub.route(ROOM, 'a1' as PeerId, 'b1' as PeerId)).toEqual({ ok: false, code: 'unknown-peer' });
    });
  });

  describe('roomCount', () => {
    it('counts rooms with local peers', () => {
      const { hub } = setup();
      join(hub, ROOM, member('a1'));
      join(hub, ROOM, member('a2'));
      join(hub, OTHER_ROOM, member('b1'));

      expect(hub.roomCount).toBe(2);
    });

    it('counts a room with a pending join', () => {
      const { hub } = setup();
      hub.beginJoin(ROOM, 'p1' as PeerId);

      expect(hub.roomCount).toBe(1);
    });

    it('forgets a room whose only join was aborted', () => {
      const { hub } = setup();
      hub.beginJoin(ROOM, 'p1' as PeerId);
      hub.abortJoin(ROOM, 'p1' as PeerId);

      expect(hub.roomCount).toBe(0);
    });

    it('keeps a room with a detached peer', () => {
      const { hub } = setup();
      join(hub, ROOM, member('p1'));
      hub.detach(ROOM, 'p1' as PeerId);

      expect(hub.roomCount).toBe(1);
    });
  });
});

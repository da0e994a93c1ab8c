import type { NodeId, PeerId, PeerLeftReason, RoomId } from '@sg/schema';
import type { NodeMessage } from '../ports/node-message';
import { PeerBus } from '../ports/peer-bus';
import { HandOverRelay } from './hand-over-relay';
import {
  BufferForPeerOptions,
  BufferForPeerOutcome,
  EndedHold,
  ResumeDirectory,
  ResumePeerResult,
  ResumeTokenOwner,
} from './resume-directory';

const THIS_NODE = 'node-a' as NodeId;
const ROOM = 'room-1' as RoomId;
const PEER = 'p1' as PeerId;

class ScriptedDirectory extends ResumeDirectory {
  readonly calls: Array<{ frame: string; options: BufferForPeerOptions }> = [];
  constructor(private readonly outcomes: BufferForPeerOutcome[]) {
    super();
  }
  async bufferFor(_room: RoomId, _peer: PeerId, frame: string, options: BufferForPeerOptions): Promise<BufferForPeerOutcome> {
    this.calls.push({ frame, options });
    return this.outcomes.shift() ?? { kind: 'gone' };
  }
  findOwner(): Promise<ResumeTokenOwner | null> {
    throw new Error('not used');
  }
  resume(): Promise<ResumePeerResult> {
    throw new Error('not used');
  }
  hold(_r: RoomId, _p: PeerId, _h: string | null, _reason: PeerLeftReason): Promise<boolean> {
    throw new Error('not used');
  }
  holdNode(): Promise<number | null> {
    throw new Error('not used');
  }
  endExpiredHolds(): Promise<EndedHold[]> {
    throw new Error('not used');
  }
}

class RecordingPeerBus extends PeerBus {
  readonly published: Array<{ node: NodeId; message: NodeMessage }> = [];
  publish(node: NodeId, message: NodeMessage): void {
    this.published.push({ node, message });
  }
  async subscribe(): Promise<void> {
    // not used
  }
}

function setup(outcomes: BufferForPeerOutcome[]) {
  const directory = new ScriptedDirectory(outcomes);
  const bus = new RecordingPeerBus();
  const local: string[] = [];
  const outcomesSeen: string[] = [];
  const relay = new HandOverRelay(
    THIS_NODE,
    directory,
    bus,
    { bufferLimit: 8, bufferTtlMs: 1_000 },
    {
      deliverLocal: (_room, _peer, frame) => {
        local.push(frame);
        return true;
      },
      outcome: (kind) => outcomesSeen.push(kind),
      failed: () => undefined,
    },
    () => 42,
  );
  return { relay, directory, bus, local, outcomesSeen };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(HandOverRelay.name, () => {
  it('buffers a signal for a peer that cannot be reached, with the configured bound', async () => {
    const { relay, directory, outcomesSeen } = setup([{ kind: 'buffered' }]);

    relay.relay(ROOM, PEER, '{"type":"offer"}', 'offer', 'p2' as PeerId, 'node-dead' as NodeId);
    await settle();

    expect(directory.calls).toEqual([
      { frame: '{"type":"offer"}', options: { limit: 8, ttlMs: 1_000, self: THIS_NODE, unreachable: 'node-dead', keep: true } },
    ]);
    expect(outcomesSeen).toEqual(['buffered']);
  });

  it('forwards a signal to the node the peer resumed on', async () => {
    const { relay, bus } = setup([{ kind: 'hosted', node: 'node-b' as NodeId }]);

    relay.relay(ROOM, PEER, '{"type":"answer"}', 'answer', 'p2' as PeerId, null);
    await settle();

    expect(bus.published).toEqual([
      { node: 'node-b', message: { room: ROOM, to: [PEER], frame: '{"type":"answer"}', type: 'answer', from: 'p2', sentAt: 42 } },
    ]);
  });

  it('delivers here when the peer resumed on this node', async () => {
    const { relay, bus, local } = setup([{ kind: 'hosted', node: THIS_NODE }]);

    relay.relay(ROOM, PEER, '{"type":"candidate"}', 'candidate', 'p2' as PeerId, null);
    await settle();

    expect(local).toEqual(['{"type":"candidate"}']);
    expect(bus.published).toEqual([]);
  });

  it('keeps the order of a peer’s frames across buffered and forwarded ones', async () => {
    const { relay, bus } = setup([{ kind: 'buffered' }, { kind: 'hosted', node: 'node-b' as NodeId }, { kind: 'hosted', node: 'node-b' as NodeId }]);

    for (const n of [1, 2, 3]) relay.relay(ROOM, PEER, `{"n":${n}}`, 'candidate', undefined, null);
    await settle();

    expect(bus.published.map((p) => p.message.frame)).toEqual(['{"n":2}', '{"n":3}']);
  });

  it('does not keep membership frames: the resumed welcome lists the room', async () => {
    const { relay, directory } = setup([]);

    relay.relay(ROOM, PEER, '{"type":"peer-joined"}', 'peer-joined', undefined, 'node-dead' as NodeId);
    await settle();

    expect(directory.calls).toEqual([]);
  });

  it('says when every frame handed over for a peer so far is settled, for a resume to wait on', async () => {
    const { relay, directory, outcomesSeen } = setup([]);
    const replies: Array<(outcome: BufferForPeerOutcome) => void> = [];
    directory.bufferFor = (_room, _peer, frame, options) => {
      directory.calls.push({ frame, options });
      return new Promise((resolve) => replies.push(resolve));
    };
    for (const n of [1, 2]) relay.relay(ROOM, PEER, `{"n":${n}}`, 'offer', undefined, null);
    let settled = false;
    void relay.settled(ROOM, PEER).then(() => (settled = true));
    replies[0]({ kind: 'buffered' });
    await settle();
    expect(settled).toBe(false);

    replies[1]({ kind: 'full' });
    await settle();
    expect(settled).toBe(true);
    expect(outcomesSeen).toEqual(['buffered', 'full']);
    // nothing pending: settled at once, and another peer's hand-overs never hold it
    relay.relay(ROOM, 'p9' as PeerId, '{"n":3}', 'offer', undefined, null);
    await expect(Promise.race([relay.settled(ROOM, PEER).then(() => 'settled'), settle().then(() => 'waiting')])).resolves.toBe('settled');
  });
});

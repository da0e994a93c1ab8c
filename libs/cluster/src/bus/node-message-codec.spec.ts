import type { NodeMessage, RoomMember } from '@sg/room';
import type { NodeId, PeerId, RoomId } from '@sg/schema';
import { decodeNodeMessage, encodeNodeMessage } from './node-message-codec';

const SEPARATOR = '\x1e';

const minimal: NodeMessage = {
  room: 'room-1' as RoomId,
  to: ['peer-b' as PeerId],
  frame: '{"type":"offer","sdp":"v=0","from":"peer-a"}',
  type: 'offer',
  sentAt: 1_700_000_000_123,
};

const joined: RoomMember = {
  peerId: 'peer-c' as PeerId,
  node: 'node-2' as NodeId,
  name: 'Zo\u00eb \u{1F600}',
  user: null,
  joinedAt: 1_700_000_000_000,
};

function roundTrip(message: NodeMessage): NodeMessage | null {
  return decodeNodeMessage(encodeNodeMessage(message));
}

describe('NodeMessage codec', () => {
  describe(decodeNodeMessage.name, () => {
    it('round-trips a message without optional fields', () => {
      expect(roundTrip(minimal)).toStrictEqual(minimal);
    });

    it('round-trips a message with from, joined and left', () => {
      const full: NodeMessage = { ...minimal, type: 'peer-joined', from: 'peer-a' as PeerId, joined, left: 'peer-d' as PeerId };

      expect(roundTrip(full)).toStrictEqual(full);
    });

    it('round-trips a joined member without a name and with a user', () => {
      const member: RoomMember = { peerId: 'peer-c' as PeerId, node: 'node-2' as NodeId, user: 'user-7', joinedAt: 5 };

      expect(roundTrip({ ...minimal, joined: member })?.joined).toStrictEqual(member);
    });

    it('round-trips several recipients', () => {
      const message: NodeMessage = { ...minimal, to: ['p1', 'p2', 'p3'] as PeerId[] };

      expect(roundTrip(message)?.to).toEqual(['p1', 'p2', 'p3']);
    });

    it('round-trips an empty recipient list', () => {
      expect(roundTrip({ ...minimal, to: [] })?.to).toEqual([]);
    });

    it('keeps a frame containing the separator character intact', () => {
      const frame = JSON.stringify({ type: 'offer', sdp: `a${SEPARATOR}b${SEPARATOR}${SEPARATOR}c`, from: 'peer-a' });

      expect(roundTrip({ ...minimal, frame })?.frame).toBe(frame);
    });

    it('keeps a raw separator in the frame intact', () => {
      const frame = `x${SEPARATOR}y${SEPARATOR}`;

      expect(roundTrip({ ...minimal, frame })?.frame).toBe(frame);
    });

    it('keeps a frame with commas intact', () => {
      const frame = '{"type":"candidate","candidate":"a,b,,c","from":"p"}';

      expect(roundTrip({ ...minimal, frame })?.frame).toBe(frame);
    });

    it('keeps a frame with unicode intact', () => {
      const frame = JSON.stringify({ type: 'offer', sdp: 's=\u4f1a\u8b70 \u{1F3A5} caf\u00e9\r\n', from: 'p' });

      expect(roundTrip({ ...minimal, frame })?.frame).toBe(frame);
    });

    it('keeps an empty frame', () => {
      expect(roundTrip({ ...minimal, frame: '' })?.frame).toBe('');
    });

    it('keeps a joined member whose name holds the separator and commas', () => {
      const member: RoomMember = { ...joined, name: `a${SEPARATOR}b,c` };

      expect(roundTrip({ ...minimal, joined: member })).toStrictEqual({ ...minimal, joined: member });
    });

    it.each([
      ['an empty string', ''],
      ['plain text', 'hello world'],
      ['JSON', JSON.stringify(minimal)],
    ])('returns null for %s', (_label, payload) => {
      expect(decodeNodeMessage(payload)).toBeNull();
    });

    it('returns null for a payload with too few fields', () => {
      expect(decodeNodeMessage(['v1', 'offer', 'room-1', '1'].join(SEPARATOR))).toBeNull();
    });

    it('returns null for another version', () => {
      const payload = encodeNodeMessage(minimal).replace(/^v1/, 'v9');

      expect(decodeNodeMessage(payload)).toBeNull();
    });

    it('round-trips a traced message (v2), from and joined included', () => {
      const traced: NodeMessage = { ...minimal, from: 'peer-a' as PeerId, joined, trace: 'peer-b=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };

      expect(roundTrip(traced)).toStrictEqual(traced);
    });

    it('keeps the frame of a traced message intact, separators included', () => {
      const frame = `x${SEPARATOR}y`;

      expect(roundTrip({ ...minimal, frame, trace: 'peer-b=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })?.frame).toBe(frame);
    });

    it('returns null for a v2 payload missing its trace field', () => {
      const payload = encodeNodeMessage(minimal).replace(/^v1/, 'v2');

      expect(decodeNodeMessage(payload)).toBeNull();
    });

    it('returns null, not an exception, for a v1 payload whose joined field is not JSON', () => {
      const payload = ['v1', 'peer-joined', 'room-1', '1', '', 'p1', '{not json', '', '{}'].join(SEPARATOR);

      let decoded: NodeMessage | null | undefined;
      expect(() => (decoded = decodeNodeMessage(payload))).not.toThrow();
      expect(decoded).toBeNull();
    });
  });

  describe(encodeNodeMessage.name, () => {
    it('writes the version first and the frame last, untouched', () => {
      const encoded = encodeNodeMessage(minimal);

      expect(encoded.startsWith(`v1${SEPARATOR}`)).toBe(true);
      expect(encoded.endsWith(`${SEPARATOR}${minimal.frame}`)).toBe(true);
    });

    it('writes v1 without a trace, so nodes that predate tracing read every untraced message', () => {
      expect(encodeNodeMessage({ ...minimal, left: 'peer-d' as PeerId })).toBe(['v1', 'offer', 'room-1', '1700000000123', '', 'peer-b', '', 'peer-d', minimal.frame].join(SEPARATOR));
    });

    it('writes v2, the trace after left, with a trace', () => {
      const trace = 'peer-b=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

      expect(encodeNodeMessage({ ...minimal, trace })).toBe(['v2', 'offer', 'room-1', '1700000000123', '', 'peer-b', '', '', trace, minimal.frame].join(SEPARATOR));
    });
  });
});

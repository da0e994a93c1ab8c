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
  });
});

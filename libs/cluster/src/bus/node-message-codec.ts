import type { PeerId, RoomId } from '@sg/schema';
import type { NodeMessage, RoomMember } from '@sg/room';

// Header fields are ids and numbers that cannot contain the separator; the
// frame goes last, untouched, so relaying a 3 KB SDP costs no JSON re-escaping.
const SEPARATOR = '\x1e';
const VERSION = 'v1';
const HEADER_FIELDS = 8;

/** Serializes a NodeMessage for the bus: `v1 RS type RS room RS sentAt RS from RS to,.. RS joined RS left RS frame`. */
export function encodeNodeMessage(message: NodeMessage): string {
  return [
    VERSION,
    message.type,
    message.room,
    String(message.sentAt),
    message.from ?? '',
    message.to.join(','),
    message.joined ? JSON.stringify(message.joined) : '',
    message.left ?? '',
    message.frame,
  ].join(SEPARATOR);
}

/** Parses what encodeNodeMessage wrote; null for anything else (logged and dropped by the bus). */
export function decodeNodeMessage(payload: string): NodeMessage | null {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < HEADER_FIELDS; i++) {
    const end = payload.indexOf(SEPARATOR, start);
    if (end < 0) return null;
    fields.push(payload.slice(start, end));
    start = end + 1;
  }
  const [version, type, room, sentAt, from, to, joined, left] = fields;
  if (version !== VERSION) return null;
  const sentAtMs = Number(sentAt);
  if (!Number.isFinite(sentAtMs)) return null;
  let joinedMember: RoomMember | undefined;
  if (joined !== '') {
    try {
      joinedMember = JSON.parse(joined) as RoomMember;
    } catch {
      return null;
    }
  }
  const message: { -readonly [K in keyof NodeMessage]: NodeMessage[K] } = {
    type,
    room: room as RoomId,
    sentAt: sentAtMs,
    to: to === '' ? [] : (to.split(',') as PeerId[]),
    frame: payload.slice(start),
  };
  if (from !== '') message.from = from as PeerId;
  if (joinedMember) message.joined = joinedMember;
  if (left !== '') message.left = left as PeerId;
  return message;
}


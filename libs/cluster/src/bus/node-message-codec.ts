import type { PeerId, RoomId } from '@sg/schema';
import type { NodeMessage, RoomMember } from '@sg/room';

// Header fields are ids and numbers that cannot contain the separator; the
// frame goes last, untouched, so relaying a 3 KB SDP costs no JSON re-escaping.
const SEPARATOR = '\x1e';
const VERSION = 'v1';
const HEADER_FIELDS = 8;
/**
 * v1 with the trace context of the signal's sessions after `left` (NodeMessage.trace: peer ids,
 * `=`, `,` and traceparents, none of which can contain a separator). Written only when a message
 * carries a trace, i.e. with tracing on, so untraced messages stay v1, readable by every node: a
 * node that predates v2 drops a v2 message as malformed (docs/operations.md, "Tracing").
 */
const TRACED_VERSION = 'v2';
const TRACED_HEADER_FIELDS = 9;

/**
 * Serializes a NodeMessage for the bus: `v1 RS type RS room RS sentAt RS from RS to,.. RS joined RS left RS frame`,
 * or with a trace `v2 RS type RS room RS sentAt RS from RS to,.. RS joined RS left RS trace RS frame`.
 */
export function encodeNodeMessage(message: NodeMessage): string {
  const from = message.from ?? '';
  const joined = message.joined ? JSON.stringify(message.joined) : '';
  const left = message.left ?? '';
  // the untraced form is the relay path's with tracing off: one array, one join, as before v2
  if (message.trace === undefined) {
    return [VERSION, message.type, message.room, String(message.sentAt), from, message.to.join(','), joined, left, message.frame].join(SEPARATOR);
  }
  return [TRACED_VERSION, message.type, message.room, String(message.sentAt), from, message.to.join(','), joined, left, message.trace, message.frame].join(SEPARATOR);
}

/** Parses what encodeNodeMessage wrote; null for anything else (logged and dropped by the bus). */
export function decodeNodeMessage(payload: string): NodeMessage | null {
  const versionEnd = payload.indexOf(SEPARATOR);
  const version = versionEnd < 0 ? '' : payload.slice(0, versionEnd);
  if (version !== VERSION && version !== TRACED_VERSION) return null;
  const headerFields = version === VERSION ? HEADER_FIELDS : TRACED_HEADER_FIELDS;
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < headerFields; i++) {
    const end = payload.indexOf(SEPARATOR, start);
    if (end < 0) return null;
    fields.push(payload.slice(start, end));
    start = end + 1;
  }
  const [, type, room, sentAt, from, to, joined, left, trace] = fields;
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
  if (trace !== undefined && trace !== '') message.trace = trace;
  return message;
}

import type { SignalMessage } from '../client-messages/client-message';
import type { PeerId } from '../ids';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** The members relayedFrame keeps, per signal type; `to` and `id` are the sender's own and are cut. */
const KEPT_KEYS: Record<SignalMessage['type'], readonly string[]> = {
  offer: ['type', 'sdp'],
  answer: ['type', 'sdp'],
  candidate: ['type', 'candidate', 'sdpMid', 'sdpMLineIndex', 'usernameFragment'],
};
const CUT_KEYS = ['to', 'id'];

interface SpliceKeys {
  /** The first `keptCount` keys are copied, the others cut. */
  readonly keptCount: number;
  readonly keys: readonly Uint8Array[];
}

/** Per type: every key a spliced frame may have, as bytes, the kept ones first. */
const KEYS: Record<SignalMessage['type'], SpliceKeys> = {
  offer: spliceKeys(KEPT_KEYS.offer),
  answer: spliceKeys(KEPT_KEYS.answer),
  candidate: spliceKeys(KEPT_KEYS.candidate),
};

/** Start and end offsets of the runs of kept members of the frame being spliced (at most 7). */
const spans = new Int32Array(16);

const FROM_KEY = Uint8Array.from(',"from":"', (c) => c.charCodeAt(0));

/** Runs shorter than this are copied byte by byte: cheaper than a call into Buffer's native copy. */
const SHORT_SPAN = 48;

/**
 * The frame a signal's receivers get (relayedFrame, serialised) built from the bytes the
 * sender sent: its members without `to` and `id`, then `"from":"<id>"`. An SDP is copied
 * once as it came, where parse, relayedFrame and JSON.stringify would allocate it twice
 * more, escape it again, and hand the socket a string to encode once more.
 *
 * `raw` must be the frame `message` was parsed from (parseClientMessage: it is valid JSON
 * and its fields passed validation). Splicing is only used when the result is exactly what
 * relayedFrame gives: every member is a field relayedFrame copies or one it drops, each key
 * once and unescaped, each value a string, `null` or plain digits. Anything else (an
 * unknown member, a repeated or escaped key, `1e0`, a nested value, a non-ASCII `from`)
 * gives null, and the caller serialises relayedFrame instead: a client's extra fields are
 * never copied.
 */
export function relayedFrameBytes(raw: Buffer, message: SignalMessage, from: PeerId): Buffer | null {
  const { keptCount, keys } = KEYS[message.type];
  const length = raw.length;
  let seen = 0;
  // kept members as runs [start, end): members next to each other (one comma between) are one run
  let runs = 0;
  let keptBytes = 0;
  let i = skipSpace(raw, 0);
  if (raw[i] !== OPEN) return null;
  i = skipSpace(raw, i + 1);
  for (;;) {
    if (raw[i] !== QUOTE) return null;
    const keyStart = i;
    const keyEnd = raw.indexOf(QUOTE, i + 1) + 1;
    // no key needs an escape: a backslash means it is spelt some other way
    if (keyEnd === 0 || raw[keyEnd - 2] === BACKSLASH) return null;
    const key = keyIndex(raw, keyStart + 1, keyEnd - 1, keys);
    // a repeated key: JSON.parse kept the last, the bytes hold both
    if (key < 0 || (seen & (1 << key)) !== 0) return null;
    seen |= 1 << key;
    i = raw[keyEnd] === COLON ? keyEnd + 1 : skipSpace(raw, keyEnd) + 1;
    if (raw[i - 1] !== COLON) return null;
    i = skipSpace(raw, i);
    const valueEnd = scalarEnd(raw, i);
    if (valueEnd < 0) return null;
    if (key < keptCount) {
      if (runs > 0 && spans[2 * runs - 1] === keyStart - 1 && raw[keyStart - 1] === COMMA) spans[2 * runs - 1] = valueEnd;
      else {
        spans[2 * runs] = keyStart;
        spans[2 * runs + 1] = valueEnd;
        runs++;
      }
      keptBytes += valueEnd - keyStart;
    }
    i = raw[valueEnd] === COMMA ? valueEnd : skipSpace(raw, valueEnd);
    if (raw[i] === COMMA) {
      i = skipSpace(raw, i + 1);
      continue;
    }
    if (raw[i] !== CLOSE || skipSpace(raw, i + 1) !== length) return null;
    break;
  }
  if (runs === 0) return null;
  // `"from":"<id>"`: peer ids are ours, plain ASCII; anything needing escapes is serialised instead
  for (let c = 0; c < from.length; c++) {
    const code = from.charCodeAt(c);
    if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH) return null;
  }
  // `{` + runs (a comma between members, already inside a run or added between runs) + `,"from":"` + id + `"}`
  const members = countMembers(seen, keptCount);
  // from Buffer's pool: a larger pool of our own measured slower over 10 s steps (ArrayBuffers kept alive longer)
  const out = Buffer.allocUnsafe(1 + keptBytes + members - 1 + FROM_KEY.length + from.length + 2);
  out[0] = OPEN;
  let at = 1;
  for (let r = 0; r < runs; r++) {
    if (r > 0) out[at++] = COMMA;
    const runStart = spans[2 * r];
    const runEnd = spans[2 * r + 1];
    if (runEnd - runStart < SHORT_SPAN) for (let b = runStart; b < runEnd; b++) out[at++] = raw[b];
    else at += raw.copy(out, at, runStart, runEnd);
  }
  for (let b = 0; b < FROM_KEY.length; b++) out[at++] = FROM_KEY[b];
  for (let c = 0; c < from.length; c++) out[at++] = from.charCodeAt(c);
  out[at++] = QUOTE;
  out[at] = CLOSE;
  return out;
}

/** How many of the kept keys (the low `keptCount` bits) are set in `seen`. */
function countMembers(seen: number, keptCount: number): number {
  let count = 0;
  for (let k = 0; k < keptCount; k++) if ((seen & (1 << k)) !== 0) count++;
  return count;
}

function spliceKeys(kept: readonly string[]): SpliceKeys {
  return { keptCount: kept.length, keys: [...kept, ...CUT_KEYS].map((key) => Uint8Array.from(key, (c) => c.charCodeAt(0))) };
}

/** The first offset at or after `i` that is not JSON whitespace. */
function skipSpace(raw: Buffer, i: number): number {
  while (i < raw.length) {
    const c = raw[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
  return i;
}

/** The offset after the closing quote of the JSON string opening at `start`, or -1. */
function stringEnd(raw: Buffer, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = raw.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    // a quote after an odd number of backslashes is escaped
    let slash = quote - 1;
    while (slash > start && raw[slash] === BACKSLASH) slash--;
    if ((quote - 1 - slash) % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The offset after a string, `null` or plain-digits value at `i`, or -1 for any other value. */
function scalarEnd(raw: Buffer, i: number): number {
  const c = raw[i];
  if (c === QUOTE) return stringEnd(raw, i);
  let end = i;
  if (c === NULL[0]) {
    for (let n = 0; n < NULL.length; n++) if (raw[i + n] !== NULL[n]) return -1;
    end = i + NULL.length;
  } else {
    while (end < raw.length && raw[end] >= 0x30 && raw[end] <= 0x39) end++;
    if (end === i) return -1;
  }
  // `1.5`, `1e3`, `nullx`: not a value spliced as is
  const next = raw[end];
  return next === COMMA || next === CLOSE || next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09 ? end : -1;
}

/** Which of `keys` the raw key bytes [start, end) spell (escapes never match), or -1. */
function keyIndex(raw: Buffer, start: number, end: number, keys: readonly Uint8Array[]): number {
  const length = end - start;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (key.length !== length) continue;
    let same = true;
    for (let j = 0; j < length; j++) {
      if (raw[start + j] !== key[j]) {
        same = false;
        break;
      }
    }
    if (same) return k;
  }
  return -1;
}

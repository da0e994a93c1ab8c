import { LIMITS } from '../limits';
import { parseSessionEvent } from './parse-session-event';
import type { SessionEvent } from './session-event';

/** An event of a batch that failed validation, kept whole for the dead-letter stream. */
export interface RejectedSessionEvent {
  /** Its index in the entry's array. */
  readonly index: number;
  readonly error: string;
  /** The event as read (parsed JSON), not the validated copy. */
  readonly raw: unknown;
}

export type ParseSessionEventBatchResult =
  | {
      readonly ok: true;
      readonly events: SessionEvent[];
      /** `indexes[i]` is the index of `events[i]` in the entry: its stream position, gaps and all. */
      readonly indexes: number[];
      readonly rejected: RejectedSessionEvent[];
    }
  | { readonly ok: false; readonly error: string };

/**
 * Parses one session-event stream entry: a JSON array of events. A bad event
 * is rejected alone so the rest are still indexed; only a payload that is not
 * a JSON array, or holds more than `LIMITS.sessionEventBatchMaxLength` events,
 * fails the whole entry.
 */
export function parseSessionEventBatch(raw: string): ParseSessionEventBatchResult {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    // never JSON.parse's message: it quotes the payload
    return { ok: false, error: 'payload is not valid JSON' };
  }
  if (!Array.isArray(data)) return { ok: false, error: 'payload must be a JSON array of events' };
  if (data.length > LIMITS.sessionEventBatchMaxLength) {
    return { ok: false, error: `payload holds ${data.length} events, over the limit of ${LIMITS.sessionEventBatchMaxLength}` };
  }
  const events: SessionEvent[] = [];
  const indexes: number[] = [];
  const rejected: RejectedSessionEvent[] = [];
  for (let index = 0; index < data.length; index++) {
    const result = parseSessionEvent(data[index]);
    if (result.ok) {
      events.push(result.event);
      indexes.push(index);
    } else rejected.push({ index, error: result.error, raw: data[index] });
  }
  return { ok: true, events, indexes, rejected };
}

import type { StatsReport } from '../client-messages/stats-report';
import type { NodeId, PeerId, RoomId } from '../ids';
import { LIMITS } from '../limits';
import { parseSessionEventBatch, type ParseSessionEventBatchResult } from './parse-session-event-batch';
import { SESSION_EVENT_KINDS, type SessionEvent } from './session-event';
import { VALID_SESSION_EVENTS } from './session-event.fixtures';

function accepted(result: ParseSessionEventBatchResult): Extract<ParseSessionEventBatchResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.error}`);
  return result;
}

function rejection(result: ParseSessionEventBatchResult): string {
  if (result.ok) throw new Error('expected the entry to be rejected');
  return result.error;
}

describe(parseSessionEventBatch.name, () => {
  const valid = SESSION_EVENT_KINDS.map((kind) => VALID_SESSION_EVENTS[kind]);

  it('accepts a batch of every kind, in order', () => {
    const result = accepted(parseSessionEventBatch(JSON.stringify(valid)));

    expect(result.events).toEqual(valid);
    expect(result.indexes).toEqual(valid.map((_, i) => i));
    expect(result.rejected).toEqual([]);
  });

  it('accepts events as the gateway builds them, object literals typed as the event classes', () => {
    const room = 'room-1' as RoomId;
    const node = 'gw-1' as NodeId;
    const a = 'peer-a' as PeerId;
    const b = 'peer-b' as PeerId;
    const name: string | undefined = undefined;
    const batch: SessionEvent[] = [
      { kind: 'peer-joined', t: 1, room, node, peer: a, user: null, remoteAddr: '127.0.0.1:50000', userAgent: null, ...(name !== undefined ? { name } : {}) },
      { kind: 'signal', t: 2, room, node, signal: 'offer', from: a, to: b },
      { kind: 'stats', t: 3, room, node, peer: a, to: b, report: { rttMs: 20 } as StatsReport },
      { kind: 'peer-left', t: 4, room, node, peer: a, reason: 'bye' },
    ];

    expect(accepted(parseSessionEventBatch(JSON.stringify(batch))).events).toEqual(batch);
  });

  it('accepts an empty batch', () => {
    expect(parseSessionEventBatch('[]')).toEqual({ ok: true, events: [], indexes: [], rejected: [] });
  });

  it('keeps the good events of a batch and rejects each bad one with its index, error and raw value', () => {
    const unknownKind = { ...VALID_SESSION_EVENTS.signal, kind: 'hello' };
    const noTo = { ...VALID_SESSION_EVENTS.signal, to: undefined };
    const raw = JSON.stringify([VALID_SESSION_EVENTS['peer-joined'], unknownKind, VALID_SESSION_EVENTS.state, noTo, 'peer-left', null]);

    const result = accepted(parseSessionEventBatch(raw));

    expect(result.events).toEqual([VALID_SESSION_EVENTS['peer-joined'], VALID_SESSION_EVENTS.state]);
    expect(result.indexes).toEqual([0, 2]);
    expect(result.rejected).toEqual([
      { index: 1, error: 'unknown event kind "hello"', raw: unknownKind },
      { index: 3, error: 'signal: field "to": to must be a string', raw: JSON.parse(JSON.stringify(noTo)) },
      { index: 4, error: 'event must be a JSON object', raw: 'peer-left' },
      { index: 5, error: 'event must be a JSON object', raw: null },
    ]);
  });

  it('accepts the entry even when every event in it is bad: each is dead-lettered on its own', () => {
    const result = accepted(parseSessionEventBatch('[{}, 1]'));

    expect(result.events).toEqual([]);
    expect(result.rejected.map(({ index }) => index)).toEqual([0, 1]);
  });

  it.each([
    ['an object', JSON.stringify(VALID_SESSION_EVENTS.signal)],
    ['a string', '"[]"'],
    ['a number', '42'],
    ['null', 'null'],
    ['a boolean', 'true'],
  ])('rejects a payload that is %s', (_label, raw) => {
    expect(parseSessionEventBatch(raw)).toEqual({ ok: false, error: 'payload must be a JSON array of events' });
  });

  it.each([
    ['truncated', '[{"kind":"signal"'],
    ['empty', ''],
    ['not JSON at all', 'secret-token-value'],
  ])('rejects a payload that is %s JSON, without quoting it', (_label, raw) => {
    expect(parseSessionEventBatch(raw)).toEqual({ ok: false, error: 'payload is not valid JSON' });
  });

  it('accepts a batch of exactly the maximum length', () => {
    const raw = `[${Array(LIMITS.sessionEventBatchMaxLength).fill(JSON.stringify(VALID_SESSION_EVENTS['peer-left'])).join(',')}]`;

    expect(accepted(parseSessionEventBatch(raw)).events).toHaveLength(LIMITS.sessionEventBatchMaxLength);
  });

  it('rejects a batch over the maximum length as a whole', () => {
    const raw = `[${Array(LIMITS.sessionEventBatchMaxLength + 1).fill('0').join(',')}]`;

    expect(rejection(parseSessionEventBatch(raw))).toBe(
      `payload holds ${LIMITS.sessionEventBatchMaxLength + 1} events, over the limit of ${LIMITS.sessionEventBatchMaxLength}`,
    );
  });
});

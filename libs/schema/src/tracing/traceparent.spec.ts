import { parseSessionEvent } from '../session/parse-session-event';
import { SESSION_EVENT_KINDS } from '../session/session-event';
import { VALID_SESSION_EVENTS } from '../session/session-event.fixtures';
import { TRACEPARENT_PATTERN, traceIdOf } from './traceparent';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it.each([TRACEPARENT, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00'])('accepts %s', (value) => {
    expect(TRACEPARENT_PATTERN.test(value)).toBe(true);
  });

  it.each([
    ['an upper-case id', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['another version', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['an all-zero span id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['trailing text', `${TRACEPARENT}-x`],
    ['an empty string', ''],
  ])('refuses %s', (_, value) => {
    expect(TRACEPARENT_PATTERN.test(value)).toBe(false);
  });

  it('gives the trace id', () => {
    expect(traceIdOf(TRACEPARENT)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  describe('on session events', () => {
    it.each(SESSION_EVENT_KINDS)('a %s event keeps a valid traceparent', (kind) => {
      const result = parseSessionEvent({ ...VALID_SESSION_EVENTS[kind], traceparent: TRACEPARENT });

      expect(result.ok && result.event.traceparent).toBe(TRACEPARENT);
    });

    it('is optional', () => {
      const result = parseSessionEvent(VALID_SESSION_EVENTS.signal);

      expect(result.ok).toBe(true);
      expect(result.ok && result.event.traceparent).toBeUndefined();
    });

    it.each([['not hex', '00-zzz-00f067aa0ba902b7-01'], ['a number', 42], ['null', null]])('refuses the event with %s as traceparent, naming the field', (_, traceparent) => {
      const result = parseSessionEvent({ ...VALID_SESSION_EVENTS.signal, traceparent });

      expect(result).toEqual({ ok: false, error: expect.stringContaining('traceparent') });
    });
  });
});

import type { FilterNode } from './filter-ast';
import { and, eq, exists, gt, gte, isEmpty, isIn, isNull, lt, lte, ne, not, or, range } from './filter-builders';
import { parseSessionFilter } from './parse-session-filter';
import { printMeiliFilter } from './print-meili-filter';

function parsed(filter: string): FilterNode | null {
  const result = parseSessionFilter(filter);
  if (!result.ok) throw new Error(result.error);
  return result.ast;
}

describe('filter builders', () => {
  it('build the trees the parser builds for the same expression', () => {
    expect(eq('room_id', 'standup')).toEqual(parsed('room_id = standup'));
    expect(ne('room_id', 'standup')).toEqual(parsed('room_id != standup'));
    expect(gt('created_at', 5)).toEqual(parsed('created_at > 5'));
    expect(gte('created_at', 5)).toEqual(parsed('created_at >= 5'));
    expect(lt('created_at', 5)).toEqual(parsed('created_at < 5'));
    expect(lte('created_at', 5)).toEqual(parsed('created_at <= 5'));
    expect(range('created_at', 1, 2)).toEqual(parsed('created_at 1 TO 2'));
    expect(isIn('connection_state', ['failed', 'closed'])).toEqual(parsed('connection_state IN [failed, closed]'));
    expect(exists('ended_at')).toEqual(parsed('ended_at EXISTS'));
    expect(isNull('ended_at')).toEqual(parsed('ended_at IS NULL'));
    expect(isEmpty('candidate_types_a')).toEqual(parsed('candidate_types_a IS EMPTY'));
    expect(not(isNull('ended_at'))).toEqual(parsed('ended_at IS NOT NULL'));
  });

  it('write numbers and booleans as a filter would', () => {
    expect(eq('created_at', 1700000000.25)).toEqual({ type: 'comparison', field: 'created_at', operator: '=', value: '1700000000.25' });
    expect(eq('relay_used', true)).toEqual({ type: 'comparison', field: 'relay_used', operator: '=', value: 'true' });
    expect(gte('created_at', 1e21)).toEqual({ type: 'comparison', field: 'created_at', operator: '>=', value: '1e+21' });
  });

  it('refuse a non-finite number: a programming error', () => {
    expect(() => eq('created_at', Number.NaN)).toThrow(RangeError);
    expect(() => range('created_at', 0, Number.POSITIVE_INFINITY)).toThrow('a filter value must be a finite number, got Infinity');
  });

  it('store range bounds in canonical form, like the parser', () => {
    expect(gt('room_id', 'ABC')).toEqual({ type: 'comparison', field: 'room_id', operator: '>', value: 'abc' });
    expect(range('room_id', 'A', 'Z')).toEqual({ type: 'range', field: 'room_id', from: 'a', to: 'z' });
    expect(eq('room_id', 'ABC')).toEqual({ type: 'comparison', field: 'room_id', operator: '=', value: 'ABC' });
  });

  it('cancel double negation', () => {
    const condition = eq('room_id', 'a');
    expect(not(not(condition))).toBe(condition);
  });

  describe('and / or', () => {
    const a = eq('room_id', 'a');
    const b = eq('room_id', 'b');

    it('are null without operands: no filter', () => {
      expect(and()).toBeNull();
      expect(or(null, undefined, false, '')).toBeNull();
    });

    it('return a single operand as it is', () => {
      expect(and(null, a)).toBe(a);
      expect(or(a, undefined)).toBe(a);
    });

    it('group two or more operands', () => {
      expect(and(a, null, b)).toEqual({ type: 'and', operands: [a, b] });
      expect(or(a, b)).toEqual({ type: 'or', operands: [a, b] });
    });
  });

  it('compose the admin API query parameters into a filter that prints and parses back', () => {
    const query = { room: 'standup', user: 'alice', state: 'failed', reason: 'ice-timeout', from: 1700000000, to: 1700003600, ip: undefined };
    const filter = and(
      query.room && eq('room_id', query.room),
      query.user && or(eq('client_a_user', query.user), eq('client_b_user', query.user)),
      query.ip && or(eq('client_a_remote_addr', query.ip), eq('client_b_remote_addr', query.ip)),
      query.state && eq('connection_state', query.state),
      query.reason && eq('failure_reason', query.reason),
      range('created_at', query.from, query.to),
    ) as FilterNode;

    const printed = printMeiliFilter(filter);
    expect(printed).toBe(
      'room_id = "standup" AND (client_a_user = "alice" OR client_b_user = "alice") AND connection_state = "failed" AND failure_reason = "ice-timeout" AND created_at "1700000000" TO "1700003600"',
    );
    expect(parsed(printed)).toEqual(filter);
  });
});

import { LIMITS } from './limits';
import { parseJoinQuery, ParseJoinQueryResult } from './join-query';

function parse(query: string): ParseJoinQueryResult {
  return parseJoinQuery(new URLSearchParams(query));
}

function reason(result: ParseJoinQueryResult): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.query)}`);
  return result.reason;
}

describe(parseJoinQuery.name, () => {
  it('accepts a room alone', () => {
    const result = parse('room=standup');

    expect(result.ok && { ...result.query }).toEqual({ room: 'standup' });
  });

  it('accepts room, name, token and resume together', () => {
    const result = parse('room=r1&name=Ann&token=a.b.c&resume=tok');

    expect(result.ok && { ...result.query }).toEqual({ room: 'r1', name: 'Ann', token: 'a.b.c', resume: 'tok' });
  });

  it.each(['A', 'abc-DEF_123', '0', 'r'.repeat(64)])('accepts the room "%s"', (room) => {
    expect(parse(`room=${room}`).ok).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['65 characters', 'r'.repeat(65)],
    ['a space', 'a b'],
    ['a dot', 'a.b'],
    ['a slash', 'a/b'],
    ['a colon', 'a:b'],
    ['a non-ASCII letter', 'caf\u00e9'],
    ['a trailing newline', 'abc\n'],
  ])('refuses a room with %s', (_label, room) => {
    expect(reason(parseJoinQuery(new URLSearchParams({ room })))).toBe(
      'query parameter "room": room must match ^[A-Za-z0-9_-]{1,64}$',
    );
  });

  it('refuses a missing room', () => {
    expect(reason(parse('name=Ann'))).toBe('query parameter "room" is required');
  });

  it('refuses an empty query', () => {
    expect(reason(parse(''))).toBe('query parameter "room" is required');
  });

  it.each(['room', 'name', 'token', 'resume'])('refuses a repeated "%s"', (key) => {
    const query = key === 'room' ? 'room=a&room=b' : `room=a&${key}=x&${key}=y`;

    expect(reason(parse(query))).toBe(`query parameter "${key}" is repeated`);
  });

  it('refuses a repeated room even when both values are equal', () => {
    expect(reason(parse('room=a&room=a'))).toBe('query parameter "room" is repeated');
  });

  it('accepts a name of 64 characters', () => {
    expect(parse(`room=a&name=${'n'.repeat(LIMITS.nameMaxLength)}`).ok).toBe(true);
  });

  it('refuses a name of 65 characters and names the parameter', () => {
    expect(reason(parse(`room=a&name=${'n'.repeat(LIMITS.nameMaxLength + 1)}`))).toContain('query parameter "name"');
  });

  it('counts the name in characters after URL decoding', () => {
    expect(parse(`room=a&name=${'%C3%A9'.repeat(LIMITS.nameMaxLength)}`).ok).toBe(true);
  });

  it('ignores unknown parameters', () => {
    expect(parse('room=a&debug=1&room_id=b').ok).toBe(true);
  });
});

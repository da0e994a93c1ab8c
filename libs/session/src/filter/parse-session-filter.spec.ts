import type { FilterNode } from './filter-ast';
import { parseSessionFilter, type FilterFieldCatalogue, type ParseSessionFilterResult } from './parse-session-filter';

function ast(filter: Parameters<typeof parseSessionFilter>[0], fields?: FilterFieldCatalogue): FilterNode | null {
  const result = parseSessionFilter(filter, fields);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(filter)} to parse, got:\n${result.error}`);
  return result.ast;
}

function error(filter: unknown, fields?: FilterFieldCatalogue): string {
  const result: ParseSessionFilterResult = parseSessionFilter(filter as Parameters<typeof parseSessionFilter>[0], fields);
  if (result.ok) throw new Error(`expected ${JSON.stringify(filter)} to be refused, got ${JSON.stringify(result.ast)}`);
  return result.error;
}

const eq = (field: string, value: string): FilterNode => ({ type: 'comparison', field, operator: '=', value });
const not = (operand: FilterNode): FilterNode => ({ type: 'not', operand });

const INVALID_PRIMARY =
  'Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY` or `IS NOT EMPTY`';

describe(parseSessionFilter.name, () => {
  describe('no filter', () => {
    it.each([
      ['undefined', undefined],
      ['null', null],
      ['an empty string', ''],
      ['a blank string', ' \t\n\r '],
      ['Unicode whitespace only', '\u00a0\u2003'],
      ['an empty array', []],
      ['an array of empty arrays', [[], []]],
      ['an array of blank strings', ['', '  ', ['', ' ']]],
    ])('is null for %s, as Meilisearch treats it', (_label, filter) => {
      expect(parseSessionFilter(filter as never)).toEqual({ ok: true, ast: null });
    });
  });

  describe('comparisons', () => {
    it.each(['=', '!=', '>', '>=', '<', '<='] as const)('parses `%s`', (operator) => {
      expect(ast(`created_at ${operator} 1700000000`)).toEqual({ type: 'comparison', field: 'created_at', operator, value: '1700000000' });
    });

    it('needs no whitespace around an operator', () => {
      expect(ast('room_id=abc')).toEqual(eq('room_id', 'abc'));
      expect(ast('created_at>=5')).toEqual({ type: 'comparison', field: 'created_at', operator: '>=', value: '5' });
      expect(ast('room_id!=abc')).toEqual({ type: 'comparison', field: 'room_id', operator: '!=', value: 'abc' });
    });

    it('keeps `!=` apart from `NOT =`: both are complements, but Meilisearch parses them differently', () => {
      expect(ast('room_id != a')).toEqual({ type: 'comparison', field: 'room_id', operator: '!=', value: 'a' });
      expect(ast('NOT room_id = a')).toEqual(not(eq('room_id', 'a')));
    });

    it('reads words made of letters, digits, `_`, `-` and `.` (any script) as unquoted values', () => {
      expect(ast('room_id = café-2_b.c')).toEqual(eq('room_id', 'café-2_b.c'));
      expect(ast('created_at = -1.5e3')).toEqual({ type: 'comparison', field: 'created_at', operator: '=', value: '-1.5e3' });
      expect(ast('room_id = Ωmega٣')).toEqual(eq('room_id', 'Ωmega٣'));
    });

    it('keeps equality values as written (Meilisearch normalises them when comparing)', () => {
      expect(ast('room_id = "  MiXeD  "')).toEqual(eq('room_id', '  MiXeD  '));
    });

    it('stores range bounds normalised, so every Meilisearch version compares them the same way', () => {
      expect(ast('room_id > "ABC"')).toEqual({ type: 'comparison', field: 'room_id', operator: '>', value: 'abc' });
      expect(ast('room_id "Ａ" TO "Z"')).toEqual({ type: 'range', field: 'room_id', from: 'a', to: 'z' });
      expect(ast('created_at < 1E9')).toEqual({ type: 'comparison', field: 'created_at', operator: '<', value: '1e9' });
    });

    it('keeps a range bound raw when normalising would turn a non-number into a number', () => {
      expect(ast('created_at > " 5"')).toEqual({ type: 'comparison', field: 'created_at', operator: '>', value: ' 5' });
    });
  });

  describe('TO', () => {
    it('parses `field low TO high`', () => {
      expect(ast('created_at 100 TO 200')).toEqual({ type: 'range', field: 'created_at', from: '100', to: '200' });
    });

    it('accepts quoted bounds', () => {
      expect(ast(`room_id 'a b' TO "c d"`)).toEqual({ type: 'range', field: 'room_id', from: 'a b', to: 'c d' });
    });

    it('needs whitespace after TO, as Meilisearch does', () => {
      expect(error('created_at 100 TO200')).toBe(`${INVALID_PRIMARY} at \`created_at 100 TO200\`.\n1:21 created_at 100 TO200`);
    });

    it('needs a high bound', () => {
      expect(error('created_at 100 TO ')).toBe('Was expecting a value but instead got nothing.\n19:19 created_at 100 TO ');
    });
  });

  describe('IN', () => {
    it('parses a list', () => {
      expect(ast('room_id IN [a, b]')).toEqual({ type: 'in', field: 'room_id', values: ['a', 'b'] });
    });

    it.each([
      ['no space before the bracket', 'room_id IN[a,b]'],
      ['a trailing comma', 'room_id IN [a, b,]'],
      ['spaces everywhere', '  room_id   IN   [  a  ,  b  ,  ]  '],
      ['newlines', 'room_id IN [\n a,\n b\n]'],
    ])('accepts %s', (_label, filter) => {
      expect(ast(filter)).toEqual({ type: 'in', field: 'room_id', values: ['a', 'b'] });
    });

    it('accepts an empty list, which matches nothing', () => {
      expect(ast('room_id IN []')).toEqual({ type: 'in', field: 'room_id', values: [] });
    });

    it('refuses a lone comma in the list, as Meilisearch does (a trailing comma needs a value before it)', () => {
      expect(error('room_id IN [,]')).toMatch(/^Expected only comma-separated values inside `IN\[\.\.\]` but instead found `,\]`\./);
      expect(error('room_id IN [ , ]')).toMatch(/^Expected only comma-separated values/);
    });

    it('accepts quoted values, keywords included', () => {
      expect(ast(`room_id IN ["a b", 'AND', "]"]`)).toEqual({ type: 'in', field: 'room_id', values: ['a b', 'AND', ']'] });
    });

    it('parses NOT IN as NOT around IN', () => {
      expect(ast('room_id NOT IN [a]')).toEqual(not({ type: 'in', field: 'room_id', values: ['a'] }));
      expect(ast('room_id NOT  IN [a]')).toEqual(not({ type: 'in', field: 'room_id', values: ['a'] }));
    });
  });

  describe('EXISTS, IS NULL, IS EMPTY', () => {
    it.each([
      ['room_id EXISTS', { type: 'exists', field: 'room_id' }],
      ['room_id NOT EXISTS', not({ type: 'exists', field: 'room_id' })],
      ['room_id IS NULL', { type: 'is-null', field: 'room_id' }],
      ['room_id IS NOT NULL', not({ type: 'is-null', field: 'room_id' })],
      ['room_id IS EMPTY', { type: 'is-empty', field: 'room_id' }],
      ['room_id IS NOT EMPTY', not({ type: 'is-empty', field: 'room_id' })],
      ['room_id  IS   NOT   NULL', not({ type: 'is-null', field: 'room_id' })],
      ['room_id NOT   EXISTS', not({ type: 'exists', field: 'room_id' })],
    ] as Array<[string, FilterNode]>)('parses `%s`', (filter, expected) => {
      expect(ast(filter)).toEqual(expected);
    });

    it('cancels NOT against the negated forms, as Meilisearch does', () => {
      expect(ast('NOT room_id IS NOT NULL')).toEqual({ type: 'is-null', field: 'room_id' });
      expect(ast('NOT room_id NOT EXISTS')).toEqual({ type: 'exists', field: 'room_id' });
      expect(ast('NOT room_id NOT IN [a]')).toEqual({ type: 'in', field: 'room_id', values: ['a'] });
      expect(ast('NOT room_id IS NOT EMPTY')).toEqual({ type: 'is-empty', field: 'room_id' });
    });

    it('refuses trailing whitespace after EXISTS, NULL and EMPTY, as Meilisearch does (nothing consumes it before the end)', () => {
      expect(error('room_id EXISTS  ')).toMatch(/^Found unexpected characters at the end of the filter: `  `\./);
      expect(error('room_id IS NULL\n')).toMatch(/^Found unexpected characters at the end of the filter/);
      expect(ast('room_id EXISTS')).toEqual({ type: 'exists', field: 'room_id' });
    });

    it('refuses trailing Unicode whitespace after any expression, and takes the ASCII whitespace Meilisearch consumes', () => {
      for (const space of ['\u00a0', '\u2003', '\u3000', '\u2028']) expect(error(`room_id = a${space}`)).toMatch(/^Found unexpected characters at the end of the filter/);
      expect(ast('room_id = a \t\r\n')).toEqual(eq('room_id', 'a'));
      expect(ast('(room_id = a)  ')).toEqual(eq('room_id', 'a'));
    });
  });

  describe('NOT, AND, OR and parentheses', () => {
    const a = eq('room_id', 'a');
    const b = eq('room_id', 'b');
    const c = eq('room_id', 'c');

    it('binds AND tighter than OR', () => {
      expect(ast('room_id = a OR room_id = b AND room_id = c')).toEqual({ type: 'or', operands: [a, { type: 'and', operands: [b, c] }] });
      expect(ast('room_id = a AND room_id = b OR room_id = c')).toEqual({ type: 'or', operands: [{ type: 'and', operands: [a, b] }, c] });
    });

    it('groups a chain of the same operator into one node', () => {
      expect(ast('room_id = a OR room_id = b OR room_id = c')).toEqual({ type: 'or', operands: [a, b, c] });
      expect(ast('room_id = a AND room_id = b AND room_id = c')).toEqual({ type: 'and', operands: [a, b, c] });
    });

    it('follows Meilisearch on a long mixed chain', () => {
      expect(ast('room_id = a AND room_id = b OR room_id = c OR room_id = a OR room_id = b AND room_id = c')).toEqual({
        type: 'or',
        operands: [{ type: 'and', operands: [a, b] }, c, a, { type: 'and', operands: [b, c] }],
      });
    });

    it('lets parentheses override precedence', () => {
      expect(ast('room_id = a AND (room_id = b OR room_id = c)')).toEqual({ type: 'and', operands: [a, { type: 'or', operands: [b, c] }] });
    });

    it('does not flatten parenthesised groups, as Meilisearch does not', () => {
      expect(ast('(room_id = a AND room_id = b) AND room_id = c')).toEqual({ type: 'and', operands: [{ type: 'and', operands: [a, b] }, c] });
    });

    it('drops redundant parentheses', () => {
      expect(ast('((room_id = a))')).toEqual(a);
      expect(ast(' ( room_id = a ) ')).toEqual(a);
    });

    it('binds NOT tighter than AND', () => {
      expect(ast('NOT room_id = a AND room_id = b')).toEqual({ type: 'and', operands: [not(a), b] });
      expect(ast('NOT (room_id = a AND room_id = b)')).toEqual(not({ type: 'and', operands: [a, b] }));
    });

    it('cancels double negation', () => {
      expect(ast('NOT NOT room_id = a')).toEqual(a);
      expect(ast('NOT NOT NOT room_id = a')).toEqual(not(a));
      expect(ast('NOT NOT (NOT NOT room_id = a)')).toEqual(a);
    });

    it('needs no whitespace between a keyword and a parenthesis', () => {
      expect(ast('NOT(room_id = a)')).toEqual(not(a));
      expect(ast('room_id = a AND(room_id = b)')).toEqual({ type: 'and', operands: [a, b] });
      expect(ast(`room_id = 'a'AND room_id = b`)).toEqual({ type: 'and', operands: [a, b] });
    });

    it('accepts tabs and newlines between tokens', () => {
      expect(ast('room_id\t=\na\r\nOR\troom_id = b')).toEqual({ type: 'or', operands: [a, b] });
    });

    it('nests 36 parentheses, the most Meilisearch accepts', () => {
      expect(ast(`${'('.repeat(36)}room_id = a${')'.repeat(36)}`)).toEqual(a);
    });

    it('refuses 37 nested parentheses with Meilisearch depth message', () => {
      const filter = `${'('.repeat(37)}room_id = a${')'.repeat(37)}`;
      expect(error(filter)).toBe(
        `The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.\n38:${filter.length + 1} ${filter}`,
      );
    });

    it('accepts 147 NOTs and refuses 148, where Meilisearch stops', () => {
      expect(ast(`${'NOT '.repeat(147)}room_id = a`)).toEqual(not(a));
      expect(error(`${'NOT '.repeat(148)}room_id = a`)).toMatch(/^The filter exceeded the maximum depth limit/);
    });
  });

  describe('quoting and escaping', () => {
    it.each([
      [`room_id = 'Mister Mv'`, 'Mister Mv'],
      [`room_id = "Mister Mv"`, 'Mister Mv'],
      [`room_id = ''`, ''],
      [`room_id = ""`, ''],
      [`room_id = 'AND'`, 'AND'],
      [`room_id = "_geoRadius(1, 2, 3)"`, '_geoRadius(1, 2, 3)'],
      [`room_id = "it's"`, "it's"],
      [`room_id = 'say "hi"'`, 'say "hi"'],
      [`room_id = 'it\\'s'`, "it's"],
      [`room_id = "say \\"hi\\""`, 'say "hi"'],
      [`room_id = 'foo\\\\'`, 'foo\\'],
      [`room_id = 'foo\\\\\\\\'`, 'foo\\\\'],
      [`room_id = 'foo\\x20\\n\\t\\"\\'"'`, 'foo \n\t"\'"'],
      [`room_id = "\\b\\f\\r\\/"`, '\b\f\r/'],
      [`room_id = "\\u0041\\u{1F600}\\u{e9}"`, 'A😀é'],
      [`room_id = "\\101\\0\\477"`, 'A\u0000\u00277'],
      [`room_id = "\\xe9"`, 'é'],
      [`room_id = "a\nb"`, 'a\nb'],
      [`room_id = "🐻"`, '🐻'],
    ])('reads %s', (filter, value) => {
      expect(ast(filter)).toEqual(eq('room_id', value));
    });

    it('accepts a quoted field name', () => {
      expect(ast(`"room_id" = a`)).toEqual(eq('room_id', 'a'));
      expect(ast(`'dog race' = Borzoi`, { 'dog race': 'string' })).toEqual(eq('dog race', 'Borzoi'));
    });

    it('keeps lower-case keywords as plain words: Meilisearch keywords are upper-case only', () => {
      expect(ast('room_id = and')).toEqual(eq('room_id', 'and'));
      expect(ast('room_id = null')).toEqual(eq('room_id', 'null'));
      expect(ast('room_id IN [or, not]')).toEqual({ type: 'in', field: 'room_id', values: ['or', 'not'] });
    });
  });

  describe('array form', () => {
    const a = eq('room_id', 'a');
    const b = eq('room_id', 'b');
    const c = { type: 'comparison', field: 'created_at', operator: '>', value: '1' } as const;

    it('ANDs the outer array', () => {
      expect(ast(['room_id = a', 'created_at > 1'])).toEqual({ type: 'and', operands: [a, c] });
    });

    it('ORs an inner array', () => {
      expect(ast([['room_id = a', 'room_id = b'], 'created_at > 1'])).toEqual({
        type: 'and',
        operands: [{ type: 'or', operands: [a, b] }, c],
      });
    });

    it('reads each string as a whole expression', () => {
      expect(ast(['room_id = a OR room_id = b', 'created_at > 1'])).toEqual({
        type: 'and',
        operands: [{ type: 'or', operands: [a, b] }, c],
      });
    });

    it('unwraps single elements', () => {
      expect(ast(['room_id = a'])).toEqual(a);
      expect(ast([['room_id = a']])).toEqual(a);
      expect(ast([['room_id = a'], [], ''])).toEqual(a);
    });

    it('skips empty inner arrays and blank strings', () => {
      expect(ast([[], 'room_id = a', ['', ' '], 'room_id = b'])).toEqual({ type: 'and', operands: [a, b] });
    });

    it.each([
      [[1], 'Invalid type for filter subexpression: expected: String, [String], found: 1.'],
      [[null], 'Invalid type for filter subexpression: expected: String, [String], found: null.'],
      [[{ a: 1 }], 'Invalid type for filter subexpression: expected: String, [String], found: {"a":1}.'],
      [[[1]], 'Invalid type for filter subexpression: expected: String, found: 1.'],
      [[[['room_id = a']]], 'Invalid type for filter subexpression: expected: String, found: ["room_id = a"].'],
      [5, 'Invalid type for filter subexpression: expected: String, Array, found: 5.'],
      [{}, 'Invalid type for filter subexpression: expected: String, Array, found: {}.'],
      [true, 'Invalid type for filter subexpression: expected: String, Array, found: true.'],
    ])('refuses %j with Meilisearch type error', (filter, message) => {
      expect(error(filter)).toBe(message);
    });

    it('reports a syntax error in an element against that element', () => {
      expect(error(['room_id = a', ['room_id = b', 'room_id =']])).toBe('Was expecting a value but instead got nothing.\n10:10 room_id =');
    });

    it('refuses an array whose combined filter would exceed the depth limit once printed', () => {
      // 36 groups that must keep their parentheses: the deepest a single expression may be
      let deep = 'room_id = b AND room_id = c';
      for (let level = 0; level < 36; level++) deep = `room_id = a AND (${deep})`;
      expect(ast([deep])).not.toBeNull();
      expect(ast([[deep]])).not.toBeNull();
      // printed as `(deep) AND room_id = b` and `(deep OR room_id = b) AND room_id = c`: one group
      // more than Meilisearch accepts in one string
      expect(error([deep, 'room_id = b'])).toMatch(/^The filter exceeded the maximum depth limit/);
      expect(error([[deep, 'room_id = b'], 'room_id = c'])).toMatch(/^The filter exceeded the maximum depth limit/);
    });
  });

  describe('attributes', () => {
    const fieldList =
      '`candidate_types_a`, `candidate_types_b`, `client_a_id`, `client_a_node`, `client_a_remote_addr`, `client_a_user`, `client_b_id`, `client_b_node`, `client_b_remote_addr`, `client_b_user`, `connection_state`, `created_at`, `end_reason`, `ended_at`, `failure_reason`, `ice_restarts`, `kind`, `relay_used`, `renegotiations`, `room_id`, `updated_at`';

    it('refuses an unknown attribute with Meilisearch message and its position', () => {
      expect(error('room = standup')).toBe(
        `Attribute \`room\` is not filterable. Available filterable attribute patterns are: ${fieldList}.\n1:5 room = standup`,
      );
    });

    it('refuses a document field that is not filterable', () => {
      expect(error('room_id = a AND duration_ms > 5')).toBe(
        `Attribute \`duration_ms\` is not filterable. Available filterable attribute patterns are: ${fieldList}.\n17:28 room_id = a AND duration_ms > 5`,
      );
    });

    it('checks attributes in every form: IN, EXISTS, IS NULL, TO, quoted names, array elements', () => {
      for (const filter of ['x IN [a]', 'x NOT EXISTS', 'x IS NULL', 'x 1 TO 2', '"x" = 1', '_vectors EXISTS', '"AND" = 1']) {
        expect(error(filter)).toMatch(/^Attribute `(x|_vectors|AND)` is not filterable\./);
      }
      expect(error(['room_id = a', ['x = 1']])).toMatch(/^Attribute `x` is not filterable\.[^\n]*\n1:2 x = 1$/);
    });

    it('takes kind, renegotiations and end_reason like the other filterable fields', () => {
      expect(ast('kind = probe AND renegotiations > 0 AND end_reason IN [bye, node-lost]')).toEqual({
        type: 'and',
        operands: [
          eq('kind', 'probe'),
          { type: 'comparison', field: 'renegotiations', operator: '>', value: '0' },
          { type: 'in', field: 'end_reason', values: ['bye', 'node-lost'] },
        ],
      });
      expect(ast('end_reason IS NULL')).toEqual({ type: 'is-null', field: 'end_reason' });
    });

    it('is case-sensitive about attribute names', () => {
      expect(error('Room_Id = a')).toMatch(/^Attribute `Room_Id` is not filterable\./);
    });

    it('reports a syntax error before an attribute error, as Meilisearch does', () => {
      expect(error('nope = a AND room_id =')).toMatch(/^Was expecting a value but instead got nothing\./);
    });

    it('uses the catalogue it is given', () => {
      expect(ast('kind = x', { kind: 'string' })).toEqual(eq('kind', 'x'));
      expect(error('room_id = x', { kind: 'string' })).toBe(
        'Attribute `room_id` is not filterable. Available filterable attribute patterns are: `kind`.\n1:8 room_id = x',
      );
      expect(error('room_id = x', {})).toBe('Attribute `room_id` is not filterable. This index does not have configured filterable attributes.\n1:8 room_id = x');
    });

    it('does not take inherited object properties for fields', () => {
      expect(error('constructor = x')).toMatch(/^Attribute `constructor` is not filterable\./);
    });
  });

  describe('errors', () => {
    it.each([
      // the same expressions as Meilisearch's own parser tests, with their messages and columns
      ['room_id = Ponce = 12', 'Found unexpected characters at the end of the filter: `= 12`. You probably forgot an `OR` or an `AND` rule.\n17:21 room_id = Ponce = 12'],
      ['room_id =    ', 'Was expecting a value but instead got nothing.\n14:14 room_id =    '],
      ['room_id = 🐻', 'Was expecting a value but instead got `🐻`.\n11:12 room_id = 🐻'],
      ['room_id = 🐻 AND created_at < 100', 'Was expecting a value but instead got `🐻`.\n11:12 room_id = 🐻 AND created_at < 100'],
      [`'OR'`, `${INVALID_PRIMARY} at \`'OR'\`.\n1:5 'OR'`],
      ['OR', 'Was expecting a value but instead got `OR`, which is a reserved keyword. To use `OR` as a field name or a value, surround it by quotes.\n1:3 OR'],
      ['room_id Ponce', `${INVALID_PRIMARY} at \`room_id Ponce\`.\n1:14 room_id Ponce`],
      ['room_id = Ponce OR', `${INVALID_PRIMARY} but instead got nothing.\n19:19 room_id = Ponce OR`],
      [`room_id = 'ponce`, "Expression `'ponce` is missing the following closing delimiter: `'`.\n11:17 room_id = 'ponce"],
      [`room_id = "ponce`, 'Expression `"ponce` is missing the following closing delimiter: `"`.\n11:17 room_id = "ponce'],
      ['room_id = mv OR (created_at >= 1000', 'Expression `(created_at >= 1000` is missing the following closing delimiter: `)`.\n17:36 room_id = mv OR (created_at >= 1000'],
      ['room_id = mv OR created_at >= 1000)', 'Found unexpected characters at the end of the filter: `)`. You probably forgot an `OR` or an `AND` rule.\n35:36 room_id = mv OR created_at >= 1000)'],
      ['room_id NOT EXIST', `${INVALID_PRIMARY} at \`room_id NOT EXIST\`.\n1:18 room_id NOT EXIST`],
      [`room_id = ponce ORdog != 'bernese mountain'`, "Found unexpected characters at the end of the filter: `ORdog != 'bernese mountain'`. You probably forgot an `OR` or an `AND` rule.\n17:44 room_id = ponce ORdog != 'bernese mountain'"],
      ['room_id IN blue, green]', 'Expected `[` after `IN` keyword.\n12:24 room_id IN blue, green]'],
      [`room_id IN [blue, green, 'blue' > 2]`, 'Expected only comma-separated values inside `IN[..]` but instead found `> 2]`.\n33:37 room_id IN [blue, green, \'blue\' > 2]'],
      ['room_id IN [blue, green, AND]', 'Expected only comma-separated values inside `IN[..]` but instead found `AND]`, which is a keyword. To use `AND` as a value, surround it by quotes.\n26:30 room_id IN [blue, green, AND]'],
      ['room_id IN [blue, green', 'Expected matching `]` after the list of values given to `IN[`.\n24:24 room_id IN [blue, green'],
      [`room_id IN ['blue, green`, "Expression `'blue, green` is missing the following closing delimiter: `'`.\n13:25 room_id IN ['blue, green"],
      ['x = EXISTS', 'Was expecting a value but instead got `EXISTS`, which is a reserved keyword. To use `EXISTS` as a field name or a value, surround it by quotes.\n5:11 x = EXISTS'],
      ['AND = 8', 'Was expecting a value but instead got `AND`, which is a reserved keyword. To use `AND` as a field name or a value, surround it by quotes.\n1:4 AND = 8'],
      ['room_id NULL', `${INVALID_PRIMARY} at \`room_id NULL\`.\n1:13 room_id NULL`],
      ['room_id IS', `${INVALID_PRIMARY} at \`room_id IS\`.\n1:11 room_id IS`],
      ['room_id IS NOT', `${INVALID_PRIMARY} at \`room_id IS NOT\`.\n1:15 room_id IS NOT`],
      ['room_id IS EXISTS', `${INVALID_PRIMARY} at \`room_id IS EXISTS\`.\n1:18 room_id IS EXISTS`],
    ])('refuses %j', (filter, message) => {
      expect(error(filter)).toBe(message);
    });

    it.each([
      ['a missing value', 'room_id =', /^Was expecting a value but instead got nothing\.\n10:10 /],
      ['a doubled operator', 'room_id == a', /^Was expecting a value but instead got `=`\.\n10:11 /],
      ['a missing operator', 'room_id', /^Was expecting an operation .* at `room_id`\.\n1:8 /],
      ['an operator without a field', '= a', /^Was expecting an operation .* at `= a`\.\n1:4 /],
      ['a dangling AND', 'room_id = a AND', /but instead got nothing\.\n16:16 /],
      ['a leading OR', 'OR room_id = a', /^Was expecting a value but instead got `OR`, which is a reserved keyword/],
      ['a lone NOT', 'NOT', /but instead got nothing\.\n4:4 NOT$/],
      ['empty parentheses', '()', /^Was expecting an operation .* at `\)`\.\n2:3 \(\)$/],
      ['an unclosed parenthesis', '(room_id = a', /^Expression `\(room_id = a` is missing the following closing delimiter: `\)`\.\n1:13 /],
      ['a stray closing parenthesis', 'room_id = a)', /^Found unexpected characters at the end of the filter: `\)`/],
      ['an unclosed bracket', 'room_id IN [a, b', /^Expected matching `]`/],
      ['an unclosed quote in a field name', `'room_id = a`, /^Expression `'room_id = a` is missing the following closing delimiter: `'`\.\n1:13 /],
      ['a quote closed by an escape', `room_id = 'a\\'`, /is missing the following closing delimiter: `'`/],
      ['a trailing backslash', `room_id = 'a\\`, /is missing the following closing delimiter: `'`/],
      ['two conditions without AND/OR', 'room_id = a room_id = b', /^Found unexpected characters at the end of the filter: `room_id = b`\. You probably forgot an `OR` or an `AND` rule\./],
      ['a value list without commas', 'room_id IN [a b]', /^Expected only comma-separated values inside `IN\[\.\.\]` but instead found `b]`\./],
      ['an unquoted colon', 'client_a_remote_addr = 10.0.0.1:5000', /^Found unexpected characters at the end of the filter: `:5000`/],
      ['an unquoted `+`', 'created_at > 1e+5', /^Found unexpected characters at the end of the filter: `\+5`/],
      ['a reserved keyword as a value', 'room_id = NULL', /^Was expecting a value but instead got `NULL`, which is a reserved keyword/],
      ['a reserved keyword in TO', 'created_at 1 TO AND', /^Was expecting a value but instead got `AND`, which is a reserved keyword/],
    ])('refuses %s', (_label, filter, message) => {
      expect(error(filter)).toMatch(message);
    });

    it.each([
      ['and', 'room_id = a and room_id = b', 'write `AND` instead of `and`'],
      ['or', 'room_id = a or room_id = b', 'write `OR` instead of `or`'],
      ['not', 'not room_id = a', 'write `NOT` instead of `not`'],
      ['is null', 'room_id is null', 'write `IS` instead of `is`'],
      ['in', 'room_id in [a]', 'write `IN` instead of `in`'],
      ['exists', 'room_id Exists', 'write `EXISTS` instead of `Exists`'],
    ])('refuses lower-case `%s` and says keywords are case-sensitive', (_label, filter, hint) => {
      expect(error(filter)).toContain(`Filter keywords are case-sensitive: ${hint}.`);
    });

    describe('value length', () => {
      it('accepts a value of 468 bytes, the longest facet value Meilisearch keeps', () => {
        expect(ast(`room_id = "${'a'.repeat(468)}"`)).toEqual(eq('room_id', 'a'.repeat(468)));
      });

      it('refuses a value of 469 bytes and says why', () => {
        expect(error(`room_id = "${'a'.repeat(469)}"`)).toMatch(
          /^The value `a{40}…` is too long: 469 bytes, the limit is 468 \(UTF-8\)\. Meilisearch keeps only the first 468 bytes of a facet value, so a longer value could never match\.\n11:482 /,
        );
      });

      it('counts UTF-8 bytes of the normalised value (NFKD), not characters', () => {
        // é decomposes to e and a combining accent: 3 bytes once normalised, as Meilisearch compares it
        expect(error(`room_id = ${'é'.repeat(235)}`)).toMatch(/is too long: 705 bytes/);
        expect(ast(`room_id = ${'é'.repeat(156)}`)).toEqual(eq('room_id', 'é'.repeat(156)));
      });

      it('takes a longer value that normalises within 468 bytes, which Meilisearch matches (padding, upper case)', () => {
        const padded = `${' '.repeat(300)}room-1${' '.repeat(300)}`;
        expect(ast(`room_id = "${padded}"`)).toEqual(eq('room_id', padded));
      });

      it('checks IN values and TO bounds too', () => {
        expect(error(`room_id IN [a, "${'b'.repeat(469)}"]`)).toMatch(/is too long: 469 bytes/);
        expect(error(`room_id a TO "${'b'.repeat(469)}"`)).toMatch(/is too long: 469 bytes/);
      });
    });

    describe('escapes', () => {
      it.each([
        ['an unknown escape', `room_id = "\\q"`, 'Malformed value: unknown escape sequence `\\q` in `\\q`.\n11:15 room_id = "\\q"'],
        ['an incomplete \\x', `room_id = "\\x"`, 'Incomplete escape sequence `\\x` in `\\x`.\n11:15 room_id = "\\x"'],
        ['an incomplete \\u', `room_id = "\\u12"`, 'Incomplete escape sequence `\\u12` in `\\u12`.\n11:17 room_id = "\\u12"'],
        ['a non-hex \\x', `room_id = "\\xZZ"`, 'Found an invalid escaped sequence number: `\\xZZ`.\n11:17 room_id = "\\xZZ"'],
        ['an empty \\u{}', `room_id = "\\u{}"`, 'Found an invalid escaped sequence number: `\\u{}`.\n11:17 room_id = "\\u{}"'],
        ['a code point past U+10FFFF', `room_id = "\\u{110000}"`, 'Malformed value: `\\u{110000}` is not a Unicode scalar value.\n11:23 room_id = "\\u{110000}"'],
        ['a surrogate code point', `room_id = "\\uD800"`, 'Malformed value: `\\uD800` is not a Unicode scalar value.\n11:19 room_id = "\\uD800"'],
      ])('refuses %s', (_label, filter, message) => {
        expect(error(filter)).toBe(message);
      });

      it('refuses a lone UTF-16 surrogate, which JSON.parse lets through', () => {
        expect(error('room_id = "\ud800"')).toBe('The filter contains a lone UTF-16 surrogate, which is not valid Unicode.\n12:13 room_id = "\ud800"');
      });
    });

    describe('unsupported Meilisearch features', () => {
      it.each([
        ['_geoRadius(45.4, 9.1, 2000)', '`_geoRadius` is not supported in session filters: session documents have no `_geo` field.\n1:11 _geoRadius(45.4, 9.1, 2000)'],
        ['_geoBoundingBox([1, 2], [3, 4])', '`_geoBoundingBox` is not supported in session filters: session documents have no `_geo` field.\n1:16 _geoBoundingBox([1, 2], [3, 4])'],
        ['_geoPolygon([1, 2], [3, 4], [5, 6])', '`_geoPolygon` is not supported in session filters: session documents have no `_geo` field.\n1:12 _geoPolygon([1, 2], [3, 4], [5, 6])'],
        ['_geo(1, 2)', '`_geo` is not supported in session filters: session documents have no `_geo` field.\n1:5 _geo(1, 2)'],
        ['room_id = a AND _geoRadius(1, 2, 3)', '`_geoRadius` is not supported in session filters: session documents have no `_geo` field.\n17:27 room_id = a AND _geoRadius(1, 2, 3)'],
        ['created_at < _geoPoint(1, 2)', '`_geoPoint` is not supported in session filters: session documents have no `_geo` field.\n14:23 created_at < _geoPoint(1, 2)'],
        ['created_at < _geoDistance(1, 2)', '`_geoDistance` is not supported in session filters: session documents have no `_geo` field.\n14:26 created_at < _geoDistance(1, 2)'],
        ['_foreign(room_id, room_id = a)', '`_foreign` filters are not supported in session filters.\n1:9 _foreign(room_id, room_id = a)'],
        ['room_id CONTAINS stand', '`CONTAINS` is not supported in session filters: it is an experimental Meilisearch operator (the `containsFilter` feature).\n9:17 room_id CONTAINS stand'],
        ['room_id NOT CONTAINS stand', '`CONTAINS` is not supported in session filters: it is an experimental Meilisearch operator (the `containsFilter` feature).\n13:21 room_id NOT CONTAINS stand'],
        ['room_id STARTS WITH stand', '`STARTS WITH` is not supported in session filters: it is an experimental Meilisearch operator (the `containsFilter` feature).\n9:20 room_id STARTS WITH stand'],
        ['room_id NOT STARTS WITH stand', '`STARTS WITH` is not supported in session filters: it is an experimental Meilisearch operator (the `containsFilter` feature).\n13:24 room_id NOT STARTS WITH stand'],
      ])('refuses %j', (filter, message) => {
        expect(error(filter)).toBe(message);
      });

      it('accepts geo words inside quotes', () => {
        expect(ast(`room_id = "_geoPoint(1, 2)"`)).toEqual(eq('room_id', '_geoPoint(1, 2)'));
      });
    });
  });
});

import { SESSION_FILTERABLE_FIELDS } from '@sg/schema';
import { canonicalRangeBound } from './facet-value';
import type { FilterComparisonOperator, FilterNode } from './filter-ast';
import { parseSessionFilter, type FilterFieldCatalogue } from './parse-session-filter';
import { printMeiliFilter } from './print-meili-filter';

/** Mulberry32: a small seeded PRNG, so every run checks the same cases. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function reparse(printed: string, fields: FilterFieldCatalogue = SESSION_FILTERABLE_FIELDS): FilterNode | null {
  const result = parseSessionFilter(printed, fields);
  if (!result.ok) throw new Error(`printed filter does not parse:\n${printed}\n${result.error}`);
  return result.ast;
}

const eq = (field: string, value: string): FilterNode => ({ type: 'comparison', field, operator: '=', value });

describe(printMeiliFilter.name, () => {
  describe('conditions', () => {
    it.each([
      [{ type: 'comparison', field: 'room_id', operator: '=', value: 'standup' }, 'room_id = "standup"'],
      [{ type: 'comparison', field: 'room_id', operator: '!=', value: 'standup' }, 'room_id != "standup"'],
      [{ type: 'comparison', field: 'created_at', operator: '>', value: '1700000000' }, 'created_at > "1700000000"'],
      [{ type: 'comparison', field: 'created_at', operator: '>=', value: '1' }, 'created_at >= "1"'],
      [{ type: 'comparison', field: 'created_at', operator: '<', value: '1' }, 'created_at < "1"'],
      [{ type: 'comparison', field: 'created_at', operator: '<=', value: '1' }, 'created_at <= "1"'],
      [{ type: 'range', field: 'created_at', from: '1', to: '2' }, 'created_at "1" TO "2"'],
      [{ type: 'in', field: 'room_id', values: ['a', 'b'] }, 'room_id IN ["a", "b"]'],
      [{ type: 'in', field: 'room_id', values: [] }, 'room_id IN []'],
      [{ type: 'exists', field: 'room_id' }, 'room_id EXISTS'],
      [{ type: 'is-null', field: 'room_id' }, 'room_id IS NULL'],
      [{ type: 'is-empty', field: 'room_id' }, 'room_id IS EMPTY'],
      [{ type: 'not', operand: { type: 'in', field: 'room_id', values: ['a'] } }, 'room_id NOT IN ["a"]'],
      [{ type: 'not', operand: { type: 'exists', field: 'room_id' } }, 'room_id NOT EXISTS'],
      [{ type: 'not', operand: { type: 'is-null', field: 'room_id' } }, 'room_id IS NOT NULL'],
      [{ type: 'not', operand: { type: 'is-empty', field: 'room_id' } }, 'room_id IS NOT EMPTY'],
      [{ type: 'not', operand: eq('room_id', 'a') }, 'NOT room_id = "a"'],
      [{ type: 'not', operand: { type: 'range', field: 'created_at', from: '1', to: '2' } }, 'NOT created_at "1" TO "2"'],
    ] as Array<[FilterNode, string]>)('prints %j as %s', (node, expected) => {
      expect(printMeiliFilter(node)).toBe(expected);
    });
  });

  describe('quoting', () => {
    it.each([
      ['a double quote', 'say "hi"', '"say \\"hi\\""'],
      ['a single quote', "it's", '"it\'s"'],
      ['a backslash', 'a\\b', '"a\\\\b"'],
      ['a trailing backslash', 'a\\', '"a\\\\"'],
      ['a backslash before a quote', '\\"', '"\\\\\\""'],
      ['a newline, tab and carriage return', 'a\nb\tc\rd', '"a\\nb\\tc\\rd"'],
      ['other control characters', '\u0000\u0001\u001f\u007f\b\f', '"\\u0000\\u0001\\u001f\\u007f\\b\\f"'],
      ['a keyword', 'AND', '"AND"'],
      ['an empty string', '', '""'],
      ['brackets and operators', '[a] = (b) != c, d', '"[a] = (b) != c, d"'],
      ['a geo function', '_geoRadius(1, 2, 3)', '"_geoRadius(1, 2, 3)"'],
      ['non-ASCII text', 'Café 🐻', '"Café 🐻"'],
    ])('quotes and escapes %s', (_label, value, printedValue) => {
      const node = eq('room_id', value);
      const printed = printMeiliFilter(node);
      expect(printed).toBe(`room_id = ${printedValue}`);
      expect(reparse(printed)).toEqual(node);
    });

    it.each([
      ['a name with a space', 'dog race', '"dog race"'],
      ['a keyword', 'AND', '"AND"'],
      ['the geo field', '_geo', '"_geo"'],
      ['a geo prefix', '_geoPointer', '"_geoPointer"'],
      ['the vectors field', '_vectors', '"_vectors"'],
      ['a quote', 'say "hi"', '"say \\"hi\\""'],
      ['dots and dashes', 'a.b-c_d', 'a.b-c_d'],
      ['letters of any script', 'émilie', 'émilie'],
    ])('quotes a field name only when needed: %s', (_label, field, printedField) => {
      const node: FilterNode = { type: 'exists', field };
      const printed = printMeiliFilter(node);
      expect(printed).toBe(`${printedField} EXISTS`);
      expect(reparse(printed, { [field]: 'string' })).toEqual(node);
    });
  });

  describe('grouping', () => {
    const a = eq('room_id', 'a');
    const b = eq('room_id', 'b');
    const c = eq('room_id', 'c');

    it('needs no parentheses for AND inside OR', () => {
      expect(printMeiliFilter({ type: 'or', operands: [a, { type: 'and', operands: [b, c] }] })).toBe(
        'room_id = "a" OR room_id = "b" AND room_id = "c"',
      );
    });

    it('parenthesises OR inside AND', () => {
      expect(printMeiliFilter({ type: 'and', operands: [a, { type: 'or', operands: [b, c] }] })).toBe(
        'room_id = "a" AND (room_id = "b" OR room_id = "c")',
      );
    });

    it('keeps a nested AND in AND, and OR in OR, apart: neither parser flattens', () => {
      expect(printMeiliFilter({ type: 'and', operands: [{ type: 'and', operands: [a, b] }, c] })).toBe(
        '(room_id = "a" AND room_id = "b") AND room_id = "c"',
      );
      expect(printMeiliFilter({ type: 'or', operands: [a, { type: 'or', operands: [b, c] }] })).toBe(
        'room_id = "a" OR (room_id = "b" OR room_id = "c")',
      );
    });

    it('parenthesises a group under NOT', () => {
      expect(printMeiliFilter({ type: 'not', operand: { type: 'and', operands: [a, b] } })).toBe('NOT (room_id = "a" AND room_id = "b")');
      expect(printMeiliFilter({ type: 'not', operand: { type: 'or', operands: [a, b] } })).toBe('NOT (room_id = "a" OR room_id = "b")');
    });

    it('needs no parentheses for NOT inside AND', () => {
      expect(printMeiliFilter({ type: 'and', operands: [{ type: 'not', operand: a }, b] })).toBe('NOT room_id = "a" AND room_id = "b"');
    });

    it('throws on an AND or OR with fewer than two operands: a malformed tree', () => {
      expect(() => printMeiliFilter({ type: 'and', operands: [a] })).toThrow("a filter 'and' node needs at least two operands, got 1");
      expect(() => printMeiliFilter({ type: 'or', operands: [] })).toThrow("a filter 'or' node needs at least two operands, got 0");
    });
  });

  describe('round trip', () => {
    it.each([
      'room_id = standup',
      'room_id = a OR room_id = b AND room_id = c',
      '(room_id = a OR room_id = b) AND NOT (created_at > 5 OR relay_used = true)',
      '(room_id = a AND room_id = b) AND room_id = c',
      'NOT NOT NOT room_id = a',
      `client_a_user = 'it\\'s' OR client_b_user = "say \\"hi\\""`,
      'candidate_types_a IN [relay, host,] AND candidate_types_b NOT IN []',
      'created_at 1 TO 1E3 AND room_id > "ABC"',
      'ended_at IS NULL OR ended_at IS NOT NULL AND room_id IS NOT EMPTY AND room_id NOT EXISTS',
      'room_id = "a\\nb\\u{1F600}\\x41"',
    ])('parse(print(parse(%j))) is parse(%j)', (filter) => {
      const parsed = reparse(filter);
      expect(parsed).not.toBeNull();
      expect(reparse(printMeiliFilter(parsed as FilterNode))).toEqual(parsed);
    });

    it('holds for 2000 random trees', () => {
      const fields: FilterFieldCatalogue = {
        ...SESSION_FILTERABLE_FIELDS,
        'dog race': 'string',
        AND: 'number',
        _geo: 'string',
        'é.x-y_z': 'string',
        'say "hi"': 'string',
        'back\\slash': 'string',
      };
      const names = Object.keys(fields);
      const pieces = ['a', 'Z', 'é', 'É', 'ß', 'ﬁ', '５', ' ', '\t', '\n', '"', "'", '\\', '\\n', '(', ')', '[', ']', ',', '=', '!', '<', '>',
        'AND', 'OR', 'NOT', 'TO', 'IN', 'EXISTS', 'IS NULL', '_geoRadius(1,2,3)', '_geoPoint', '0', '1', '.', '-', 'e', 'E', '+', '🙂', '\u0001', '\u007f', '\u00b4', '1E5', '\u00a0'];
      const operators: FilterComparisonOperator[] = ['=', '!=', '>', '>=', '<', '<='];
      const random = prng(20240611);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const value = (): string => Array.from({ length: Math.floor(random() * 5) }, () => pick(pieces)).join('');
      const not = (node: FilterNode): FilterNode => (node.type === 'not' ? node.operand : { type: 'not', operand: node });

      const leaf = (): FilterNode => {
        const field = pick(names);
        const kind = random();
        let node: FilterNode;
        if (kind < 0.4) {
          const operator = pick(operators);
          const raw = value();
          node = { type: 'comparison', field, operator, value: operator === '=' || operator === '!=' ? raw : canonicalRangeBound(raw) };
        } else if (kind < 0.55) {
          node = { type: 'range', field, from: canonicalRangeBound(value()), to: canonicalRangeBound(value()) };
        } else if (kind < 0.75) {
          node = { type: 'in', field, values: Array.from({ length: Math.floor(random() * 4) }, value) };
        } else if (kind < 0.85) {
          node = { type: 'exists', field };
        } else if (kind < 0.93) {
          node = { type: 'is-null', field };
        } else {
          node = { type: 'is-empty', field };
        }
        return random() < 0.3 ? not(node) : node;
      };
      const tree = (depth: number): FilterNode => {
        if (depth === 0 || random() < 0.35) return leaf();
        const operands = Array.from({ length: 2 + Math.floor(random() * 3) }, () => tree(depth - 1));
        const group: FilterNode = { type: random() < 0.5 ? 'and' : 'or', operands };
        return random() < 0.2 ? not(group) : group;
      };

      for (let i = 0; i < 2000; i++) {
        const original = tree(5);
        const printed = printMeiliFilter(original);
        const result = parseSessionFilter(printed, fields);
        if (!result.ok || JSON.stringify(result.ast) !== JSON.stringify(original)) {
          throw new Error(`case ${i}: ${printed}\n${result.ok ? JSON.stringify(result.ast) : result.error}\nexpected ${JSON.stringify(original)}`);
        }
        expect(result.ast).toEqual(original);
      }
    });

    it('never throws on 2000 random near-valid strings, and what parses round-trips', () => {
      const random = prng(7);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const fieldNames = ['room_id', 'created_at', 'relay_used', 'candidate_types_a', '"client_a_user"', 'nope'];
      const values = ['x', '1', '-2.5', '"a b"', "'c'", '"\\""', "'it\\'s'", '""', 'é', 'and', 'AND', '"AND"', '1E5', '🐻', '_geo'];
      const noise = ['(', ')', '[', ']', ',', '=', '"', "'", '\\', 'NOT', 'AND', 'OR', 'TO', 'IS', '\u00a0', '_geoRadius(1,2,3)'];
      const condition = (depth: number): string[] => {
        const field = pick(fieldNames);
        const r = random();
        const body =
          r < 0.35 ? [field, pick(['=', '!=', '>', '>=', '<', '<=', '==']), pick(values)]
          : r < 0.45 ? [field, pick(values), 'TO', pick(values)]
          : r < 0.6 ? [field, pick(['IN', 'NOT IN']), '[', ...Array.from({ length: Math.floor(random() * 3) }, () => [pick(values), ',']).flat(), ']']
          : r < 0.7 ? [field, pick(['EXISTS', 'NOT EXISTS', 'IS NULL', 'IS NOT NULL', 'IS EMPTY', 'IS NOT EMPTY', 'is null'])]
          : depth > 0 ? ['(', ...expression(depth - 1), ')']
          : [field, '=', pick(values)];
        return random() < 0.2 ? ['NOT', ...body] : body;
      };
      const expression = (depth: number): string[] => {
        const parts = condition(depth);
        while (random() < 0.4) parts.push(pick(['AND', 'OR', 'and']), ...condition(depth));
        return parts;
      };

      let parsed = 0;
      let refused = 0;
      for (let i = 0; i < 2000; i++) {
        const tokens = expression(3);
        // mutate: drop, duplicate or insert a token now and then
        for (let j = 0; j < tokens.length; j++) {
          const r = random();
          if (r < 0.02) tokens.splice(j, 1);
          else if (r < 0.04) tokens.splice(j, 0, pick(noise));
        }
        const input = tokens.map((token) => token + pick([' ', ' ', ' ', '', '\t', '\n'])).join('');
        const result = parseSessionFilter(input);
        if (!result.ok) {
          refused++;
          expect(result.error).toMatch(/\S/);
          continue;
        }
        if (result.ast === null) continue;
        parsed++;
        const printed = printMeiliFilter(result.ast);
        expect(reparse(printed)).toEqual(result.ast);
        expect(printMeiliFilter(reparse(printed) as FilterNode)).toBe(printed);
      }
      // the generator must reach both the valid and the invalid part of the grammar
      expect(parsed).toBeGreaterThan(200);
      expect(refused).toBeGreaterThan(200);
    });
  });
});

import Database from 'better-sqlite3';
import { SESSION_FILTERABLE_FIELDS } from '@sg/schema';
import { canonicalRangeBound, parseSessionFilter, type FilterFieldCatalogue, type FilterNode, type SessionFilterInput } from '@sg/session';
import { compileSqliteFilter, registerSqliteFilterFunctions } from './compile-sqlite-filter';
import { fillSqliteCandidateTypeSets, SQLITE_CANDIDATE_TYPE_SET_TABLES } from './sqlite-candidate-type-sets';

/**
 * Twelve hand-written sessions. The expected ids in every test below were worked out by hand from
 * this table and the Meilisearch semantics in compile-sqlite-filter.ts, not computed.
 */
const ROWS = [
  // id, room_id, state, reason, created_at, ended_at, a_user, b_user, a_addr, relay_used, ice_restarts, types_a, types_b
  [1, 'Standup', 'connected', null, 100, null, 'alice', 'bob', '10.0.0.1:5000', 1, 0, '["host","srflx"]', '["relay"]'],
  [2, 'standup', 'failed', 'ice-timeout', 200, 230, 'Bob', null, '10.0.0.2:5000', 0, 1, '["host"]', '[]'],
  [3, 'STANDUP ', 'closed', null, 300, 400, ' Alice ', 'carol', '192.168.1.5:6000', null, 2, '[]', '[]'],
  [4, 'retro', 'failed', 'no-answer', 400, 430, null, null, null, null, 0, '["relay","tcp"]', '["host"]'],
  [5, 'Caf\u00e9', 'connecting', null, 500, null, '\u00c9MILIE', 'bob', '[2001:db8::1]:7000', 1, 3, '["mdns","host"]', '["srflx"]'],
  [6, 'cafe\u0301', 'new', null, 600, null, '\u00e9milie', null, '10.0.0.6:5000', null, 0, '[]', '[]'],
  [7, '', 'failed', 'client-reported', 700, 705, '', 'dave', '10.0.0.7:5000', 0, 0, '["RELAY"]', '["host","host"]'],
  [8, '   ', 'disconnected', null, 800, null, '   ', 'Dave', '10.0.0.8:5000', 1, 5, '["","host"]', '["prflx"]'],
  [9, '\ufb01nance', 'connected', null, 900, null, 'zo\u00eb', 'alice', '10.0.0.9:5000', 1, 1, '["srflx"]', '["relay","srflx"]'],
  [10, 'retro', 'failed', 'ice-failed', 1000.5, 1001, 'bob', 'ALICE', '10.0.0.10:5000', 0, 4, null, '[]'],
  [11, 'Retro', 'closed', 'peer-left-before-connected', 1100, 1200, 'mallory', null, '10.0.0.11:5000', null, 0, '["host"]', '["host"]'],
  [12, '123', 'new', null, 1200, null, 'true', null, '10.0.0.12:5000', null, 10, '["relay"]', '["relay"]'],
] as const;

const ALL = ROWS.map((row) => row[0]);
const except = (...ids: number[]) => ALL.filter((id) => !ids.includes(id));

function createDatabase(): Database.Database {
  const db = new Database(':memory:');
  registerSqliteFilterFunctions(db);
  db.exec(`CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY, room_id TEXT, connection_state TEXT, failure_reason TEXT,
    created_at REAL, updated_at REAL, ended_at REAL, client_a_id TEXT, client_b_id TEXT,
    client_a_user TEXT, client_b_user TEXT, client_a_remote_addr TEXT, client_b_remote_addr TEXT,
    client_a_node TEXT, client_b_node TEXT, relay_used INTEGER, ice_restarts INTEGER,
    candidate_types_a TEXT, candidate_types_b TEXT, candidate_types_a_set INTEGER, candidate_types_b_set INTEGER,
    kind TEXT NOT NULL DEFAULT 'call', renegotiations INTEGER NOT NULL DEFAULT 0, end_reason TEXT
  )`);
  for (const statement of SQLITE_CANDIDATE_TYPE_SET_TABLES) db.exec(statement);
  const insert = db.prepare(`INSERT INTO sessions (
    session_id, room_id, connection_state, failure_reason, created_at, updated_at, ended_at, client_a_id, client_b_id,
    client_a_user, client_b_user, client_a_remote_addr, client_b_remote_addr, client_a_node, client_b_node, relay_used,
    ice_restarts, candidate_types_a, candidate_types_b
  ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const [id, room, state, reason, createdAt, endedAt, userA, userB, addrA, relayUsed, iceRestarts, typesA, typesB] of ROWS) {
    insert.run(
      `s${String(id).padStart(2, '0')}`,
      room,
      state,
      reason,
      createdAt,
      createdAt + 1,
      endedAt,
      `peer-a${id}`,
      `peer-b${id}`,
      userA,
      userB,
      addrA,
      `10.1.0.${id}:6000`,
      'node-1',
      'node-2',
      relayUsed,
      iceRestarts,
      typesA,
      typesB,
    );
  }
  // sessions 5 and 9 are probes; 1 and 3 renegotiated twice; every ended session says how it ended
  db.exec(`UPDATE sessions SET kind = 'probe' WHERE session_id IN ('s05', 's09')`);
  db.exec(`UPDATE sessions SET renegotiations = 2 WHERE session_id IN ('s01', 's03')`);
  db.exec(`UPDATE sessions SET end_reason = CASE connection_state WHEN 'failed' THEN 'failed' WHEN 'closed' THEN 'bye' END`);
  // array conditions compare the sessions' candidate type sets, which the store keeps as it writes
  fillSqliteCandidateTypeSets(db);
  return db;
}

describe(compileSqliteFilter.name, () => {
  let db: Database.Database;

  beforeAll(() => {
    db = createDatabase();
  });

  afterAll(() => {
    db.close();
  });

  function parse(filter: SessionFilterInput, fields?: FilterFieldCatalogue): FilterNode | null {
    const result = parseSessionFilter(filter, fields);
    if (!result.ok) throw new Error(`${JSON.stringify(filter)} does not parse:\n${result.error}`);
    return result.ast;
  }

  function rowsOf(ast: FilterNode | null): number[] {
    const { sql, params } = compileSqliteFilter(ast);
    const rows = db.prepare(`SELECT session_id FROM sessions WHERE ${sql} ORDER BY session_id`).all(...params) as Array<{ session_id: string }>;
    return rows.map((row) => Number(row.session_id.slice(1)));
  }

  function ids(filter: SessionFilterInput): number[] {
    return rowsOf(parse(filter));
  }

  it('selects every row without a filter', () => {
    expect(compileSqliteFilter(null)).toEqual({ sql: '1', params: [] });
    expect(ids(undefined)).toEqual(ALL);
  });

  describe('strings: normalised like Meilisearch facets', () => {
    it.each([
      ['ignores case', 'room_id = standup', [1, 2, 3]],
      ['ignores case of the filter value', 'room_id = "STANDUP"', [1, 2, 3]],
      ['trims the document value', 'room_id = "standup"', [1, 2, 3]],
      ['matches composed and decomposed accents alike (NFKD)', 'room_id = café', [5, 6]],
      ['matches a decomposed filter value too', 'room_id = "cafe\\u0301"', [5, 6]],
      ['expands compatibility ligatures', 'room_id = finance', [9]],
      ['expands them in the filter value too', 'room_id = \ufb01nance', [9]],
      ['compares a number-looking value as a string on a string field', 'room_id = 123', [12]],
      ['never matches "" against "": Meilisearch indexes no facet for it', 'room_id = ""', [8]],
      ['finds an address whatever its case', 'client_a_remote_addr = "[2001:DB8::1]:7000"', [5]],
      ['finds a user on either side', 'client_a_user = alice OR client_b_user = alice', [1, 3, 9, 10]],
      ['normalises non-ASCII upper case', 'client_a_user = émilie', [5, 6]],
      ['keeps the string "true" a string', 'client_a_user = true', [12]],
      ['folds case on the other side too', 'client_b_user = DAVE', [7, 8]],
    ])('`=` %s', (_label, filter, expected) => {
      expect(ids(filter)).toEqual(expected);
    });

    it('`!=` is the complement of `=`, null and empty values included', () => {
      expect(ids('room_id != standup')).toEqual(except(1, 2, 3));
      expect(ids('NOT room_id = standup')).toEqual(except(1, 2, 3));
      expect(ids('failure_reason != no-answer')).toEqual(except(4));
    });

    it('IN is any of the values, normalised', () => {
      expect(ids('room_id IN [retro, Standup]')).toEqual([1, 2, 3, 4, 10, 11]);
      expect(ids('client_a_remote_addr IN ["10.0.0.1:5000", "10.0.0.2:5000"]')).toEqual([1, 2]);
    });

    it('NOT IN is the complement of IN', () => {
      expect(ids('room_id NOT IN [retro, standup]')).toEqual([5, 6, 7, 8, 9, 12]);
    });

    it('an empty IN matches nothing, and NOT IN [] everything', () => {
      expect(ids('room_id IN []')).toEqual([]);
      expect(ids('room_id NOT IN []')).toEqual(ALL);
    });

    it.each([
      ['compares byte-wise after normalisation: every key above "100"', 'room_id > 100', [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]],
      ['includes the normalised blank value below "b"', 'room_id < b', [8, 12]],
      ['normalises the bound: "RETRO" is "retro"', 'room_id >= RETRO', [1, 2, 3, 4, 10, 11]],
      ['TO includes both ends', 'room_id c TO r', [5, 6, 9]],
      ['TO with the bounds swapped matches nothing', 'room_id r TO c', []],
      ['compares booleans as the strings "true" and "false"', 'relay_used > false', [1, 5, 8, 9]],
    ])('ranges on strings: %s', (_label, filter, expected) => {
      expect(ids(filter)).toEqual(expected);
    });
  });

  describe('numbers', () => {
    it.each([
      ['`>`', 'created_at > 500', [6, 7, 8, 9, 10, 11, 12]],
      ['`>=`', 'created_at >= 500', [5, 6, 7, 8, 9, 10, 11, 12]],
      ['`<`', 'created_at < 300', [1, 2]],
      ['`<=`', 'created_at <= 300', [1, 2, 3]],
      ['`=` on a fraction', 'created_at = 1000.5', [10]],
      ['`=` on the same number written with an exponent', 'created_at = 1.0005e3', [10]],
      ['`>` with an exponent', 'created_at > 1E3', [10, 11, 12]],
      ['`!=`', 'created_at != 100', except(1)],
      ['TO, both ends included', 'created_at 200 TO 400', [2, 3, 4]],
      ['TO with the bounds swapped', 'created_at 400 TO 200', []],
      ['IN ignores values that are not numbers', 'created_at IN [100, 200, abc]', [1, 2]],
      ['an integer column', 'ice_restarts >= 3', [5, 8, 10, 12]],
      ['an integer range', 'ice_restarts 1 TO 2', [2, 3, 9]],
      ['integer equality', 'ice_restarts = 0', [1, 4, 6, 7, 11]],
    ])('%s', (_label, filter, expected) => {
      expect(ids(filter)).toEqual(expected);
    });

    it('kind, renegotiations and end_reason compile like the other fields of their kinds', () => {
      expect(ids('kind = probe')).toEqual([5, 9]);
      expect(ids('kind = CALL')).toEqual(except(5, 9));
      expect(ids('renegotiations > 0')).toEqual([1, 3]);
      expect(ids('end_reason IN [failed, bye]')).toEqual([2, 3, 4, 7, 10, 11]);
      expect(ids('end_reason IS NULL')).toEqual([1, 5, 6, 8, 9, 12]);
      expect(ids('end_reason != bye')).toEqual(except(3, 11));
    });

    it('a value that is not a number matches nothing, and its `!=` everything', () => {
      expect(ids('created_at > abc')).toEqual([]);
      expect(ids('created_at = abc')).toEqual([]);
      expect(ids('created_at 1 TO abc')).toEqual([]);
      expect(ids('created_at != abc')).toEqual(ALL);
    });

    it('null numbers never compare, and `!=` and NOT include them', () => {
      expect(ids('ended_at > 400')).toEqual([4, 7, 10, 11]);
      expect(ids('NOT ended_at > 400')).toEqual([1, 2, 3, 5, 6, 8, 9, 12]);
      expect(ids('ended_at != 230')).toEqual(except(2));
      expect(ids('ended_at <= 400 OR ended_at IS NULL')).toEqual([1, 2, 3, 5, 6, 8, 9, 12]);
    });
  });

  describe('booleans', () => {
    it.each([
      ['true', 'relay_used = true', [1, 5, 8, 9]],
      ['TRUE, case-insensitively', 'relay_used = TRUE', [1, 5, 8, 9]],
      ['the quoted string "True"', 'relay_used = "True"', [1, 5, 8, 9]],
      ['false', 'relay_used = false', [2, 7, 10]],
      ['not 1: booleans are not numbers in Meilisearch', 'relay_used = 1', []],
      ['not 0', 'relay_used = 0', []],
      ['IN [true, false]: every non-null value', 'relay_used IN [true, false]', [1, 2, 5, 7, 8, 9, 10]],
    ])('`=` matches %s', (_label, filter, expected) => {
      expect(ids(filter)).toEqual(expected);
    });

    it('`!= true` includes false and null', () => {
      expect(ids('relay_used != true')).toEqual([2, 3, 4, 6, 7, 10, 11, 12]);
    });
  });

  describe('arrays: a condition holds when any element does', () => {
    it.each([
      ['`=` on an element', 'candidate_types_a = relay', [4, 7, 12]],
      ['`=` on a common element', 'candidate_types_a = host', [1, 2, 5, 8, 11]],
      ['`!=`: no element equals it, empty and null arrays included', 'candidate_types_a != relay', [1, 2, 3, 5, 6, 8, 9, 10, 11]],
      ['IN', 'candidate_types_a IN [srflx, tcp]', [1, 4, 9]],
      ['NOT IN', 'candidate_types_a NOT IN [host]', [3, 4, 6, 7, 9, 10, 12]],
      ['`=` never on an empty element', 'candidate_types_a = ""', []],
      ['`>` on any element', 'candidate_types_a > r', [1, 4, 7, 9, 12]],
      ['TO on any element', 'candidate_types_a h TO m', [1, 2, 5, 8, 11]],
      ['OR across both sides', 'candidate_types_a = relay OR candidate_types_b = relay', [1, 4, 7, 9, 12]],
      ['AND across both sides', 'candidate_types_a = relay AND candidate_types_b = relay', [12]],
    ])('%s', (_label, filter, expected) => {
      expect(ids(filter)).toEqual(expected);
    });
  });

  describe('EXISTS, IS NULL, IS EMPTY', () => {
    it('EXISTS holds for every session: every field is present, null or not', () => {
      expect(ids('ended_at EXISTS')).toEqual(ALL);
      expect(ids('client_a_user EXISTS')).toEqual(ALL);
      expect(ids('candidate_types_a EXISTS')).toEqual(ALL);
      expect(ids('ended_at NOT EXISTS')).toEqual([]);
    });

    it.each([
      ['a number', 'ended_at IS NULL', [1, 5, 6, 8, 9, 12]],
      ['a string', 'client_a_user IS NULL', [4]],
      ['a boolean', 'relay_used IS NULL', [3, 4, 6, 11, 12]],
      ['an array', 'candidate_types_a IS NULL', [10]],
      ['a required number', 'created_at IS NULL', []],
    ])('IS NULL on %s: only null', (_label, filter, expected) => {
      expect(ids(filter)).toEqual(expected);
    });

    it('IS NOT NULL is the complement', () => {
      expect(ids('ended_at IS NOT NULL')).toEqual([2, 3, 4, 7, 10, 11]);
    });

    it.each([
      ['a string: only ""', 'room_id IS EMPTY', [7]],
      ['a user: not null, not blank', 'client_a_user IS EMPTY', [7]],
      ['an array: only []', 'candidate_types_a IS EMPTY', [3, 6]],
      ['a number: never', 'created_at IS EMPTY', []],
      ['a boolean: never', 'relay_used IS EMPTY', []],
    ])('IS EMPTY on %s', (_label, filter, expected) => {
      expect(ids(filter)).toEqual(expected);
    });

    it('IS NOT EMPTY is the complement, null included', () => {
      expect(ids('candidate_types_a IS NOT EMPTY')).toEqual(except(3, 6));
      expect(ids('room_id IS NOT EMPTY')).toEqual(except(7));
    });
  });

  describe('AND, OR, NOT', () => {
    it('binds AND tighter than OR', () => {
      expect(ids('connection_state = failed OR connection_state = closed AND failure_reason IS NULL')).toEqual([2, 3, 4, 7, 10]);
      expect(ids('(connection_state = failed OR connection_state = closed) AND failure_reason IS NULL')).toEqual([3]);
    });

    it('combines conditions on several fields', () => {
      expect(ids('connection_state = failed AND failure_reason IN [ice-timeout, ice-failed]')).toEqual([2, 10]);
    });

    it('negates a group', () => {
      expect(ids('NOT (connection_state = failed OR connection_state = closed)')).toEqual([1, 5, 6, 8, 9, 12]);
    });

    it('reads the array form as AND of ORs', () => {
      expect(ids([['room_id = retro', 'room_id = standup'], 'created_at > 300'])).toEqual([4, 10, 11]);
    });
  });

  describe('many-term chains: one set test per field', () => {
    const chain = (count: number, term: (i: number) => string, joiner: string) => Array.from({ length: count }, (_, i) => term(i)).join(joiner);

    it('runs a 300-term OR on an array as one lookup of candidate type sets, not a JSON scan per term', () => {
      const { sql, params } = compileSqliteFilter(parse(chain(300, (i) => `candidate_types_a = ${i === 150 ? 'RELAY' : `t${i}`}`, ' OR ')));
      expect(sql).toBe(`("candidate_types_a_set" IN (SELECT set_id FROM session_candidate_type_set_members WHERE type_key IN (${params.map(() => '?').join(', ')})))`);
      expect(params).toHaveLength(300);
      expect(sql).not.toContain('json_each');
      expect(ids(chain(300, (i) => `candidate_types_a = ${i === 150 ? 'RELAY' : `t${i}`}`, ' OR '))).toEqual([4, 7, 12]);
    });

    it('runs a 250-term != chain as the complement of one set test', () => {
      const filter = chain(250, (i) => `candidate_types_a != ${i === 7 ? 'relay' : `t${i}`}`, ' AND ');
      const { sql } = compileSqliteFilter(parse(filter));
      expect(sql.match(/ IN \(/g)).toHaveLength(2);
      expect(sql.startsWith('((NOT coalesce("candidate_types_a_set" IN (SELECT')).toBe(true);
      expect(ids(filter)).toEqual(ids('candidate_types_a != relay'));
    });

    it('merges = and IN on a scalar into one IN, and != and NOT IN into one NOT IN, values normalised once', () => {
      expect(compileSqliteFilter(parse('room_id = Retro OR room_id IN [retro, standup] OR created_at > 5 OR room_id = x'))).toEqual({
        sql: '(sg_facet_key("room_id") IN (?, ?, ?) OR "created_at" > ?)',
        params: ['retro', 'standup', 'x', 5],
      });
      expect(compileSqliteFilter(parse('room_id != a AND NOT room_id = b AND room_id NOT IN [c] AND room_id = d'))).toEqual({
        sql: '((NOT coalesce(sg_facet_key("room_id") IN (?, ?, ?), 0)) AND sg_facet_key("room_id") = ?)',
        params: ['a', 'b', 'c', 'd'],
      });
      expect(ids('room_id != retro AND room_id != standup AND room_id != café')).toEqual([7, 8, 9, 12]);
      expect(ids('ice_restarts = 1 OR ice_restarts = 2 OR ice_restarts = abc')).toEqual([2, 3, 9]);
      expect(ids('relay_used != true AND relay_used != false')).toEqual([3, 4, 6, 11, 12]);
    });

    it('leaves tests of different fields, ranges and mixed signs apart', () => {
      expect(compileSqliteFilter(parse('room_id = a OR client_a_user = a OR room_id != b OR room_id > c'))).toEqual({
        sql: '(sg_facet_key("room_id") = ? OR sg_facet_key("client_a_user") = ? OR (NOT coalesce(sg_facet_key("room_id") = ?, 0)) OR sg_facet_key("room_id") > ?)',
        params: ['a', 'a', 'b', 'c'],
      });
    });

    it('selects the union (OR) or intersection (AND) of its terms run one by one, over 300 random chains', () => {
      let state = 7;
      const random = () => {
        state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
        return state / 2_147_483_648;
      };
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const fields = ['room_id', 'client_a_user', 'candidate_types_a', 'candidate_types_b', 'ice_restarts', 'relay_used', 'end_reason', 'created_at'];
      const values = ['standup', 'RETRO', 'relay', 'host', 'srflx', 'alice', '', ' ', '0', '1', '100', 'true', 'false', 'bye', 'failed', 'abc', 'café'];
      const term = (field: string): FilterNode => {
        const r = random();
        if (r < 0.35) return { type: 'comparison', field, operator: pick(['=', '!='] as const), value: pick(values) };
        if (r < 0.6) return { type: 'in', field, values: [pick(values), pick(values), pick(values)] };
        if (r < 0.8) return { type: 'not', operand: { type: 'in', field, values: [pick(values), pick(values)] } };
        return { type: 'not', operand: { type: 'comparison', field, operator: '=', value: pick(values) } };
      };
      for (let i = 0; i < 300; i++) {
        // mostly one field, as the chains that merge are; sometimes a second one
        const main = pick(fields);
        const operands = Array.from({ length: 2 + Math.floor(random() * 30) }, () => term(random() < 0.8 ? main : pick(fields)));
        const each = operands.map((operand) => rowsOf(operand));
        expect(rowsOf({ type: 'or', operands })).toEqual(ALL.filter((id) => each.some((rows) => rows.includes(id))));
        expect(rowsOf({ type: 'and', operands })).toEqual(ALL.filter((id) => each.every((rows) => rows.includes(id))));
      }
    });
  });

  describe('parameters', () => {
    it('passes values as parameters only', () => {
      expect(compileSqliteFilter(parse('room_id = Standup AND created_at > 5'))).toEqual({
        sql: '(sg_facet_key("room_id") = ? AND "created_at" > ?)',
        params: ['standup', 5],
      });
    });

    it('keeps an injection attempt a plain value that matches nothing', () => {
      const ast = parse(`room_id = "x' or 1=1 --"`);
      const compiled = compileSqliteFilter(ast);
      expect(compiled.params).toEqual(["x' or 1=1 --"]);
      expect(compiled.sql).not.toContain('1=1');
      expect(compiled.sql).not.toContain("x'");
      expect(rowsOf(ast)).toEqual([]);
    });

    it('passes the value normalised, as Meilisearch compares it', () => {
      expect(compileSqliteFilter(parse(`client_a_user = "x' OR 1=1 --"`)).params).toEqual(["x' or 1=1 --"]);
    });

    it('never runs SQL from a value', () => {
      expect(ids(`room_id = "\\"); DROP TABLE sessions; --" OR room_id IN ["'", "\\\\"]`)).toEqual([]);
      expect(ids('created_at = "1 OR 1=1"')).toEqual([]);
      expect(db.prepare('SELECT count(*) AS count FROM sessions').get()).toEqual({ count: 12 });
    });

    it('quotes field names as identifiers', () => {
      const fields: FilterFieldCatalogue = { 'we"ird': 'string', 'two words': 'number' };
      const other = new Database(':memory:');
      registerSqliteFilterFunctions(other);
      other.exec('CREATE TABLE sessions (session_id TEXT, "we""ird" TEXT, "two words" REAL)');
      other.prepare('INSERT INTO sessions VALUES (?, ?, ?)').run('s1', 'Odd', 3);
      other.prepare('INSERT INTO sessions VALUES (?, ?, ?)').run('s2', 'even', 4);
      const compiled = compileSqliteFilter(parse(`"we\\"ird" = odd OR 'two words' > 3.5`, fields), fields);
      expect(compiled.sql).toBe('(sg_facet_key("we""ird") = ? OR "two words" > ?)');
      expect(other.prepare(`SELECT session_id FROM sessions WHERE ${compiled.sql}`).all(...compiled.params)).toEqual([
        { session_id: 's1' },
        { session_id: 's2' },
      ]);
      other.close();
    });

    it('throws on a field outside the catalogue: the parser refuses those first', () => {
      expect(() => compileSqliteFilter({ type: 'exists', field: 'duration_ms' })).toThrow(
        'filter field "duration_ms" is not in the filterable field catalogue',
      );
    });
  });

  describe('composition over 1000 random filters', () => {
    // Checks that NOT, AND and OR compose as sets do, as Meilisearch's bitmaps do, although leaves
    // may be NULL in SQL: NOT x = all - x, x AND y = x ∩ y, x OR y = x ∪ y.
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

    it('NOT is the complement, AND the intersection, OR the union', () => {
      const random = prng(42);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const fields = Object.keys(SESSION_FILTERABLE_FIELDS);
      const values = ['standup', 'RETRO', 'relay', 'host', 'alice', 'bob', '', ' ', '500', '1000.5', 'true', 'false', 'abc', 'café', '123', '0', '3', 'failed'];
      const leaf = (): FilterNode => {
        const field = pick(fields);
        const r = random();
        if (r < 0.45) return { type: 'comparison', field, operator: pick(['=', '!=', '>', '>=', '<', '<='] as const), value: canonicalRangeBound(pick(values)) };
        if (r < 0.6) return { type: 'range', field, from: canonicalRangeBound(pick(values)), to: canonicalRangeBound(pick(values)) };
        if (r < 0.8) return { type: 'in', field, values: [pick(values), pick(values)] };
        return { type: pick(['exists', 'is-null', 'is-empty'] as const), field };
      };
      const tree = (depth: number): FilterNode =>
        depth === 0 || random() < 0.4
          ? random() < 0.25
            ? { type: 'not', operand: leaf() }
            : leaf()
          : { type: random() < 0.5 ? 'and' : 'or', operands: [tree(depth - 1), tree(depth - 1)] };

      for (let i = 0; i < 1000; i++) {
        const x = tree(3);
        const y = tree(3);
        const rowsX = rowsOf(x);
        const rowsY = rowsOf(y);
        expect(rowsOf({ type: 'not', operand: x })).toEqual(ALL.filter((id) => !rowsX.includes(id)));
        expect(rowsOf({ type: 'and', operands: [x, y] })).toEqual(rowsX.filter((id) => rowsY.includes(id)));
        expect(rowsOf({ type: 'or', operands: [x, y] })).toEqual(ALL.filter((id) => rowsX.includes(id) || rowsY.includes(id)));
      }
    });
  });
});

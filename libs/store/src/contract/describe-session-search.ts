import type { SessionFilterableField } from '@sg/schema';
import { DEFAULT_SESSION_SORT, parseSessionFilter, SessionSearchQuery, SessionSort, SessionStore, StoredSession } from '@sg/session';
import { storedSession } from './session-store-fixtures';

interface SearchInput {
  q?: string;
  filter?: string | Array<string | string[]>;
  sort?: SessionSort[];
  limit?: number;
  offset?: number;
  facets?: SessionFilterableField[];
}

function searchQuery(input: SearchInput): SessionSearchQuery {
  const parsed = parseSessionFilter(input.filter);
  if (!parsed.ok) throw new Error(parsed.error);
  return {
    q: input.q ?? '',
    filter: parsed.ast,
    sort: input.sort ?? DEFAULT_SESSION_SORT,
    limit: input.limit ?? 20,
    offset: input.offset ?? 0,
    facets: input.facets ?? [],
  };
}

const T = Date.UTC(2026, 10, 1, 12);
const MINUTE = 60_000;

/** The search half of the store contract (PROTOCOL section 3): one body, the same answer on every store. */
export function describeSessionSearch(name: string, makeStore: () => Promise<SessionStore>): void {
  describe(`SessionStore search contract: ${name}`, () => {
    let store: SessionStore;
    let sessions: Record<string, StoredSession>;

    const idsOf = async (input: SearchInput) => (await store.search(searchQuery(input))).hits.map((hit) => hit.client_a_id);

    beforeAll(async () => {
      store = await makeStore();
      sessions = {
        closed1: storedSession({ room: 'support-room', a: 'closed1', b: 'x1', at: T, outcome: 'closed', userA: 'alice@example.com', userB: 'bob' }),
        closed2: storedSession({ room: 'Sales', a: 'closed2', b: 'x2', at: T + 1 * MINUTE, outcome: 'closed', userA: 'carol', candidateB: 'candidate:1 1 udp 1 192.0.2.1 3478 typ host' }),
        failed1: storedSession({ room: 'support-room', a: 'failed1', b: 'x3', at: T + 2 * MINUTE, outcome: 'ice-failed', userA: 'alice@example.com' }),
        noAnswer: storedSession({ room: 'support-room', a: 'noAnswer', b: 'x4', at: T + 3 * MINUTE, outcome: 'no-answer' }),
        connected: storedSession({ room: 'Sales', a: 'connected', b: 'x5', at: T + 4 * MINUTE, outcome: 'connected', userB: 'dave' }),
        offered: storedSession({ room: 'other', a: 'offered', b: 'x6', at: T + 5 * MINUTE, outcome: 'new' }),
      };
      await store.write(Object.values(sessions));
    });
    afterAll(() => store.close());

    it('lists newest first by default, pages with limit and offset, and counts every match', async () => {
      const first = await store.search(searchQuery({ limit: 2 }));
      expect(first.hits.map((hit) => hit.client_a_id)).toEqual(['offered', 'connected']);
      expect(first.estimatedTotalHits).toBe(6);
      expect(await idsOf({ limit: 2, offset: 2 })).toEqual(['noAnswer', 'failed1']);
      expect(await idsOf({ limit: 10, offset: 4 })).toEqual(['closed2', 'closed1']);
      expect(first.hits[0]).toEqual(sessions['offered'].document);
      expect(first.facetDistribution).toBeUndefined();
    });

    it('filters by state within a time range', async () => {
      const from = (T + MINUTE) / 1000;
      const to = (T + 4 * MINUTE) / 1000;
      expect(await idsOf({ filter: `connection_state = failed AND created_at ${from} TO ${to}` })).toEqual(['noAnswer', 'failed1']);
      expect(await idsOf({ filter: `connection_state = closed AND created_at >= ${from}` })).toEqual(['closed2']);
    });

    it('takes IN, NOT, OR, parentheses and the array form', async () => {
      expect(await idsOf({ filter: 'failure_reason IN [no-answer, ice-failed]' })).toEqual(['noAnswer', 'failed1']);
      expect(await idsOf({ filter: 'NOT room_id = support-room AND NOT connection_state = new' })).toEqual(['connected', 'closed2']);
      expect(await idsOf({ filter: '(room_id = other OR connection_state = connected) AND ice_restarts = 0' })).toEqual(['offered', 'connected']);
      expect(await idsOf({ filter: [['room_id = other', 'room_id = sales'], 'connection_state != closed'] })).toEqual(['offered', 'connected']);
    });

    it('compares strings case-insensitively, as Meilisearch does', async () => {
      expect(await idsOf({ filter: 'room_id = "SUPPORT-ROOM"' })).toEqual(['noAnswer', 'failed1', 'closed1']);
      expect(await idsOf({ filter: 'client_a_user = "Alice@Example.com"' })).toEqual(['failed1', 'closed1']);
    });

    it('matches an array field when any element matches', async () => {
      expect(await idsOf({ filter: 'candidate_types_b = relay' })).toEqual(['connected', 'failed1', 'closed1']);
      expect(await idsOf({ filter: 'candidate_types_b = host' })).toEqual(['closed2']);
      expect(await idsOf({ filter: 'candidate_types_b IS EMPTY' })).toEqual(['offered', 'noAnswer']);
    });

    it('tells null from present values', async () => {
      expect(await idsOf({ filter: 'client_a_user IS NULL' })).toEqual(['offered', 'connected', 'noAnswer']);
      expect(await idsOf({ filter: 'client_b_user IS NOT NULL' })).toEqual(['connected', 'closed1']);
      expect(await idsOf({ filter: 'client_a_user EXISTS AND client_a_user != carol' })).toEqual(['offered', 'connected', 'noAnswer', 'failed1', 'closed1']);
      expect(await idsOf({ filter: 'ended_at EXISTS AND NOT ended_at IS NULL' })).toEqual(['noAnswer', 'failed1', 'closed2', 'closed1']);
    });

    it('sorts on the sortable fields, sessions without the value last in either direction', async () => {
      expect(await idsOf({ sort: [{ field: 'created_at', direction: 'asc' }], limit: 3 })).toEqual(['closed1', 'closed2', 'failed1']);
      const byDuration = await idsOf({ sort: [{ field: 'duration_ms', direction: 'desc' }], filter: 'connection_state = closed OR connection_state = new' });
      expect(byDuration.slice(0, 2).sort()).toEqual(['closed1', 'closed2']);
      expect(byDuration[2]).toBe('offered');
      const byConnectedAsc = await idsOf({ sort: [{ field: 'time_to_connected_ms', direction: 'asc' }, { field: 'created_at', direction: 'asc' }] });
      expect(byConnectedAsc.slice(0, 3)).toEqual(['closed1', 'closed2', 'connected']);
      expect(byConnectedAsc.slice(3).sort()).toEqual(['failed1', 'noAnswer', 'offered']);
    });

    it('counts facet values among every match, not only the page', async () => {
      const result = await store.search(searchQuery({ facets: ['connection_state', 'failure_reason', 'candidate_types_b', 'relay_used', 'room_id', 'client_a_user'], limit: 1 }));
      expect(result.hits).toHaveLength(1);
      expect(result.estimatedTotalHits).toBe(6);
      expect(result.facetDistribution).toEqual({
        connection_state: { closed: 2, connected: 1, failed: 2, new: 1 },
        failure_reason: { 'ice-failed': 1, 'no-answer': 1 },
        candidate_types_b: { host: 1, relay: 3 },
        relay_used: {},
        room_id: { other: 1, Sales: 2, 'support-room': 3 },
        client_a_user: { 'alice@example.com': 2, carol: 1 },
      });
      const filtered = await store.search(searchQuery({ filter: 'room_id = support-room', facets: ['connection_state'] }));
      expect(filtered.facetDistribution).toEqual({ connection_state: { closed: 1, failed: 2 } });
      expect(filtered.estimatedTotalHits).toBe(3);
    });

    it('finds sessions by full text over ids, users, addresses, user agents and reasons', async () => {
      expect(await idsOf({ q: 'alice@example.com' })).toEqual(['failed1', 'closed1']);
      expect(await idsOf({ q: 'dave' })).toEqual(['connected']);
      expect(await idsOf({ q: 'noAnswer' })).toEqual(['noAnswer']);
      expect((await idsOf({ q: '198.51.100.1' })).length).toBe(6);
      expect(await idsOf({ q: 'ice-failed' })).toEqual(['failed1']);
      expect(await idsOf({ q: 'alice@example.com', filter: 'connection_state = closed' })).toEqual(['closed1']);
      expect(await idsOf({ q: 'nobody-has-this-word' })).toEqual([]);
    });

    it('takes full-text syntax in q as plain words', async () => {
      expect(await idsOf({ q: '"closed1"' })).toEqual(['closed1']);
      await expect(store.search(searchQuery({ q: 'NEAR( "x1 * ) AND' }))).resolves.toMatchObject({ hits: expect.any(Array) });
      // nothing to search for is a placeholder search: everything matches
      expect((await store.search(searchQuery({ q: ' " * ( ' }))).estimatedTotalHits).toBe(6);
    });

    it('takes any string as q: control characters, lone surrogates, quotes, operators, long words', async () => {
      expect(await idsOf({ q: 'closed1\u0000' })).toEqual(['closed1']);
      expect(await idsOf({ q: '\u0000closed1\u0007\u001f' })).toEqual(['closed1']);
      for (const q of ['\u0000', '"\u0000"', '\ud800', 'a\udc00b', '""""', "'", 'OR AND NOT', '^x', 'x:y', '*', 'w'.repeat(1000), `"${'é'.repeat(300)}`]) {
        await expect(store.search(searchQuery({ q }))).resolves.toMatchObject({ hits: expect.any(Array) });
      }
    });

    it('runs filters of thousands of terms (SQLite would refuse an expression 1,000 deep)', async () => {
      const many = (joiner: string, operator: string) => Array.from({ length: 1500 }, (_, i) => `room_id ${operator} r${i}`).join(joiner);
      expect(await idsOf({ filter: `${many(' OR ', '=')} OR room_id = other` })).toEqual(['offered']);
      expect((await store.search(searchQuery({ filter: many(' AND ', '!=') }))).estimatedTotalHits).toBe(6);
      expect((await store.search(searchQuery({ filter: Array.from({ length: 1500 }, () => 'room_id != x') }))).estimatedTotalHits).toBe(6);
    });

    it('runs many-term OR, IN and != chains on arrays and scalars with the hits of their terms', async () => {
      const others = (count: number) => Array.from({ length: count }, (_, i) => `v${i}`);
      // the shapes of the search benchmark: a 300-term OR on an array, a 250-term != chain, an IN of 1,000 rooms
      expect(await idsOf({ filter: [...others(298), 'HOST', 'relay'].map((value) => `candidate_types_b = ${value}`).join(' OR ') })).toEqual(['connected', 'failed1', 'closed2', 'closed1']);
      expect(await idsOf({ filter: [...others(249), 'relay'].map((value) => `candidate_types_b != ${value}`).join(' AND ') })).toEqual(['offered', 'noAnswer', 'closed2']);
      expect(await idsOf({ filter: `candidate_types_b NOT IN [${[...others(249), 'host'].join(', ')}] AND NOT candidate_types_b IN [relay]` })).toEqual(['offered', 'noAnswer']);
      expect(await idsOf({ filter: `room_id IN [${[...others(998), 'SALES', 'other'].join(', ')}]` })).toEqual(['offered', 'connected', 'closed2']);
      // on scalars: strings, numbers and a chain that mixes = with IN
      expect(await idsOf({ filter: [...others(248), 'closed', 'NEW'].map((value) => `connection_state != ${value}`).join(' AND ') })).toEqual(['connected', 'noAnswer', 'failed1']);
      expect(await idsOf({ filter: [...others(300).map((value) => `client_a_user = ${value}`), 'client_a_user IN [carol, dave]', 'client_a_user = "Alice@Example.com"'].join(' OR ') })).toEqual(['failed1', 'closed2', 'closed1']);
      expect(await idsOf({ filter: Array.from({ length: 300 }, (_, i) => `ice_restarts != ${i + 1}`).join(' AND ') })).toEqual(['offered', 'connected', 'noAnswer', 'failed1', 'closed2', 'closed1']);
      expect(await idsOf({ filter: Array.from({ length: 300 }, (_, i) => `ice_restarts = ${i + 1}`).join(' OR ') })).toEqual([]);
    });

    it('counts facets in a time range alike whether it holds whole hours or not', async () => {
      const hour = T / 1000; // T is 12:00 UTC, the start of an hour
      const facetsOf = async (filter: string) => {
        const result = await store.search(searchQuery({ filter, facets: ['connection_state', 'failure_reason', 'kind'], limit: 1 }));
        return { total: result.estimatedTotalHits, facets: result.facetDistribution };
      };
      expect(await facetsOf(`created_at >= ${hour - 3600} AND created_at < ${hour + 3600}`)).toEqual({
        total: 6,
        facets: { connection_state: { closed: 2, connected: 1, failed: 2, new: 1 }, failure_reason: { 'ice-failed': 1, 'no-answer': 1 }, kind: { call: 6 } },
      });
      // closed1 was created at 12:00 exactly
      expect(await facetsOf(`created_at > ${hour}`)).toEqual({
        total: 5,
        facets: { connection_state: { closed: 1, connected: 1, failed: 2, new: 1 }, failure_reason: { 'ice-failed': 1, 'no-answer': 1 }, kind: { call: 5 } },
      });
      expect(await facetsOf(`created_at ${hour} TO ${hour + 120}`)).toEqual({
        total: 3,
        facets: { connection_state: { closed: 2, failed: 1 }, failure_reason: { 'ice-failed': 1 }, kind: { call: 3 } },
      });
      expect((await facetsOf(`created_at < ${hour - 3600}`)).total).toBe(0);
    });

    // written last: it adds a session the tests above do not count
    it('gives the same hits for range bounds whatever their normalisation (canonical bounds, compared as sent)', async () => {
      await store.write([storedSession({ room: '3-digits', a: 'digits', b: 'x7', at: T + 6 * MINUTE, outcome: 'new', userA: '1digit' })]);
      // " 5" stays raw (its normalised "5" would read as a number): "1digit" sorts after " " and before "5"
      expect(await idsOf({ filter: 'client_a_user " 5" TO "b"' })).toEqual(['digits', 'failed1', 'closed1']);
      expect(await idsOf({ filter: 'client_a_user "5" TO "b"' })).toEqual(['failed1', 'closed1']);
      // upper case and padding normalise: the same range as "a" TO "b"
      expect(await idsOf({ filter: 'client_a_user "A" TO "B"' })).toEqual(['failed1', 'closed1']);
      expect(await idsOf({ filter: 'room_id >= "3"' })).toEqual(['digits', 'offered', 'connected', 'noAnswer', 'failed1', 'closed2', 'closed1']);
      expect(await idsOf({ filter: 'room_id < "4"' })).toEqual(['digits']);
    });
  });
}

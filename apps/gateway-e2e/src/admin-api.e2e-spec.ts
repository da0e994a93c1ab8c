import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionDocument } from '@sg/schema';
import { AppProcess, SignalingClient, startApp, uniqueName } from '@sg/testing';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

const ADMIN_API_KEY = 'admin-api-e2e-key-0123456789';
const auth = { authorization: `Bearer ${ADMIN_API_KEY}` };

interface SearchAnswer {
  hits: SessionDocument[];
  estimatedTotalHits: number;
  limit: number;
  offset: number;
  processingTimeMs: number;
  facetDistribution?: Record<string, Record<string, number>>;
}

/** A Redis database of its own, so no other suite's gateways or indexers share its streams. */
function isolatedRedisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set');
  return `${url.replace(/\/\d*$/, '')}/7`;
}

// The admin API of PROTOCOL section 3, against sessions made by real gateways and a real indexer.
describe('admin API: session search', () => {
  const directory = mkdtempSync(join(tmpdir(), 'admin-api-'));
  const redisUrl = isolatedRedisUrl();
  const rooms = { noAnswer: uniqueName('noanswer'), closed: uniqueName('closed'), iceFailed: uniqueName('icefailed') };
  let cluster: GatewayCluster;
  let indexer: AppProcess;
  let adminSearch: AppProcess;
  let startedAt: number;
  const peers: Record<string, string> = {};

  const get = async (path: string, headers: Record<string, string> = auth) => fetch(`${adminSearch.baseUrl}${path}`, { headers });
  const post = async (body: unknown, headers: Record<string, string> = auth) =>
    fetch(`${adminSearch.baseUrl}/api/sessions/search`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const search = async (body: unknown) => {
    const response = await post(body);
    expect(response.status).toBe(200);
    return (await response.json()) as SearchAnswer;
  };

  async function sessionOf(room: string, state: string, settled = false): Promise<SessionDocument> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = (await (await get(`/api/sessions?room=${room}`)).json()) as SearchAnswer;
      // settled: both sides' departures are in, so nothing changes the document any more
      const left = (doc: SessionDocument, by: string) => doc.events.some((event) => event.type === 'peer-left' && event.by === by);
      const hit = answer.hits?.find((doc) => doc.connection_state === state && (!settled || (left(doc, 'a') && left(doc, 'b'))));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no ${state} session in ${room}: ${JSON.stringify(answer)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function pair(room: string): Promise<[SignalingClient & { peerId: string }, SignalingClient & { peerId: string }]> {
    const a = await SignalingClient.join(cluster.wsUrl(0, `room=${room}`));
    const b = await SignalingClient.join(cluster.wsUrl(1, `room=${room}`));
    await a.next('peer-joined');
    return [a, b];
  }

  beforeAll(async () => {
    const env = { REDIS_URL: redisUrl, SQLITE_PATH: join(directory, 'sessions.db') };
    cluster = await startGatewayCluster(2, { REDIS_URL: redisUrl, SESSION_EVENTS_FLUSH_MS: '20' });
    [indexer, adminSearch] = await Promise.all([
      startApp('diagnostics-indexer', { ...env, NEGOTIATION_TIMEOUT_MS: '1000', ICE_TIMEOUT_MS: '60000' }),
      startApp('admin-search', { ...env, ADMIN_API_KEY }),
    ]);
    startedAt = Date.now() / 1000;

    const [alice, bob] = await pair(rooms.noAnswer);
    alice.send({ type: 'offer', sdp: 'v=0 no-answer', to: bob.peerId });
    await bob.next('offer');
    peers['noAnswerA'] = alice.peerId;

    const [carol, dave] = await pair(rooms.closed);
    carol.send({ type: 'offer', sdp: 'v=0 closed', to: dave.peerId });
    await dave.next('offer');
    dave.send({ type: 'answer', sdp: 'v=0 answer', to: carol.peerId });
    await carol.next('answer');
    dave.send({ type: 'candidate', candidate: 'candidate:1 1 udp 2130706431 192.0.2.10 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, to: carol.peerId });
    await carol.next('candidate');
    carol.send({ type: 'state', connectionState: 'connected', iceConnectionState: 'connected', to: dave.peerId });
    carol.send({ type: 'stats', to: dave.peerId, report: { rttMs: 42, localCandidateType: 'host', remoteCandidateType: 'host', protocol: 'udp' } });
    carol.send({ type: 'bye' });
    await dave.next('peer-left');
    peers['closedA'] = carol.peerId;
    peers['closedB'] = dave.peerId;

    const [erin, frank] = await pair(rooms.iceFailed);
    erin.send({ type: 'offer', sdp: 'v=0 failing', to: frank.peerId });
    await frank.next('offer');
    frank.send({ type: 'answer', sdp: 'v=0 answer', to: erin.peerId });
    await erin.next('answer');
    erin.send({ type: 'state', iceConnectionState: 'failed', connectionState: 'failed', to: frank.peerId });

    await Promise.all([sessionOf(rooms.noAnswer, 'failed'), sessionOf(rooms.closed, 'closed'), sessionOf(rooms.iceFailed, 'failed')]);
    for (const client of [alice, bob, dave, erin, frank]) client.close();
    await Promise.all([sessionOf(rooms.noAnswer, 'failed', true), sessionOf(rooms.closed, 'closed', true), sessionOf(rooms.iceFailed, 'failed', true)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([cluster?.stop(), indexer?.stop(), adminSearch?.stop()]);
    rmSync(directory, { recursive: true, force: true });
  });

  it('answers nothing without the admin key, or with a wrong one', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-key-0123456789abcdef' }, { authorization: ADMIN_API_KEY }]) {
      for (const response of [await get('/api/sessions', headers), await post({}, headers), await get('/api/sessions/abc', headers)]) {
        expect(response.status).toBe(401);
        const body = (await response.json()) as Record<string, unknown>;
        expect(body).toEqual({ statusCode: 401, message: 'missing or invalid admin API key', error: 'Unauthorized' });
      }
    }
  });

  it('finds a failed session by its room and returns the whole document by id', async () => {
    const answer = await search({ filter: `room_id = "${rooms.noAnswer}"` });
    expect(answer).toMatchObject({ estimatedTotalHits: 1, limit: 20, offset: 0, processingTimeMs: expect.any(Number) });
    const [hit] = answer.hits;
    expect(hit).toMatchObject({ room_id: rooms.noAnswer, client_a_id: peers['noAnswerA'], connection_state: 'failed', failure_reason: 'no-answer' });
    const byId = await get(`/api/sessions/${hit.session_id}`);
    expect(byId.status).toBe(200);
    expect(await byId.json()).toEqual(hit);
  });

  it('says 404 for an unknown session and 400 for a malformed id', async () => {
    const unknown = await get('/api/sessions/no-such-session');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await get('/api/sessions/bad%20id')).status).toBe(400);
  });

  it('filters with the Meilisearch grammar, sorts and counts facets', async () => {
    const ours = `room_id IN ["${rooms.noAnswer}", "${rooms.closed}", "${rooms.iceFailed}"]`;
    const failed = await search({ filter: `${ours} AND connection_state = failed`, facets: ['failure_reason'] });
    expect(failed.hits.map((hit) => hit.failure_reason).sort()).toEqual(['ice-failed', 'no-answer']);
    expect(failed.facetDistribution).toEqual({ failure_reason: { 'ice-failed': 1, 'no-answer': 1 } });
    const relayed = await search({ filter: [ours, ['candidate_types_b = host', 'candidate_types_a = host']] });
    expect(relayed.hits.map((hit) => hit.room_id)).toEqual([rooms.closed]);
    const newestFirst = await search({ filter: ours });
    expect(newestFirst.hits.map((hit) => hit.room_id)).toEqual([rooms.iceFailed, rooms.closed, rooms.noAnswer]);
    const oldestFirst = await search({ filter: ours, sort: ['created_at:asc'], limit: 2, offset: 1 });
    expect(oldestFirst.hits.map((hit) => hit.room_id)).toEqual([rooms.closed, rooms.iceFailed]);
    expect(oldestFirst.estimatedTotalHits).toBe(3);
    const byRtt = await search({ filter: ours, sort: ['rtt_ms:asc'] });
    expect(byRtt.hits[0]).toMatchObject({ room_id: rooms.closed, rtt_ms: 42 });
  });

  it('finds sessions by full text', async () => {
    const answer = await search({ q: peers['closedB'] });
    expect(answer.hits.map((hit) => hit.room_id)).toEqual([rooms.closed]);
  });

  it('takes the same search as query parameters, with state and reason facets', async () => {
    const response = await get(`/api/sessions?peer=${peers['closedA']}&state=closed&from=${Math.floor(startedAt) - 1}&to=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as SearchAnswer;
    expect(answer.hits.map((hit) => hit.room_id)).toEqual([rooms.closed]);
    expect(answer.facetDistribution).toEqual({ connection_state: { closed: 1 }, failure_reason: {} });
    const byIp = (await (await get(`/api/sessions?ip=127.0.0.1&room=${rooms.iceFailed}`)).json()) as SearchAnswer;
    expect(byIp.hits).toHaveLength(1);
    const none = (await (await get(`/api/sessions?ip=127.0.0.2&room=${rooms.iceFailed}`)).json()) as SearchAnswer;
    expect(none.hits).toHaveLength(0);
    const future = (await (await get(`/api/sessions?room=${rooms.closed}&from=2100-01-01`)).json()) as SearchAnswer;
    expect(future.estimatedTotalHits).toBe(0);
  });

  it.each([
    [{ filter: 'room_id = ' }, 'filter'],
    [{ filter: 'no_such_field = 1' }, 'no_such_field'],
    [{ filter: 'room_id == x' }, 'filter'],
    [{ filter: 42 }, 'filter'],
    [{ filter: [['room_id = a', 7]] }, 'filter'],
    [{ limit: 0 }, 'limit'],
    [{ limit: 1001 }, 'limit'],
    [{ offset: -1 }, 'offset'],
    [{ sort: ['room_id:asc'] }, 'room_id'],
    [{ sort: ['created_at:sideways'] }, 'sort'],
    [{ facets: ['failure_detail'] }, 'facets'],
    [{ q: 7 }, 'q'],
    [{ colour: 'blue' }, 'colour'],
  ])('refuses %j with 400 naming %s', async (body, name) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { statusCode: number; message: string; error: string };
    expect(answer).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(answer.message).toContain(name);
  });

  it.each([
    ['state=broken', 'state'],
    ['reason=bad-luck', 'reason'],
    ['room=a%20b', 'room'],
    ['from=yesterday', 'from'],
    ['limit=ten', 'limit'],
    ['sort=rtt_ms', 'sort'],
    ['ip=not-an-ip', 'ip'],
    ['colour=blue', 'colour'],
  ])('refuses the query %s with 400 naming %s', async (query, name) => {
    const response = await get(`/api/sessions?${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain(name);
  });

  it('refuses a body that is not a JSON object', async () => {
    const notJson = await fetch(`${adminSearch.baseUrl}/api/sessions/search`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"q": ' });
    expect(notJson.status).toBe(400);
    expect((await post([1, 2])).status).toBe(400);
  });
});

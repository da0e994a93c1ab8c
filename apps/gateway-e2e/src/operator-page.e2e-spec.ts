import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium, Page, Request as PageRequest } from 'playwright-core';
import type { SessionDocument } from '@sg/schema';
import { AppProcess, OtlpReceiver, SignalingClient, startApp, uniqueName } from '@sg/testing';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

const ADMIN_API_KEY = 'operator-page-e2e-key-0123456789';
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = resolve(__dirname, '../test-output');
/** `--failure` in styles.css: failures are this red on the page. */
const FAILURE_RED = 'rgb(198, 40, 40)';
/** Markup in a user agent must show as text, never become an element. */
const ALICE_AGENT = 'operator-e2e/1.0 <img src=x id=injected>';

// The few browser globals the in-page callbacks use: this project compiles without the DOM
// library, and declaring them here keeps them out of every other file's globals.
declare const document: { documentElement: { scrollWidth: number; clientWidth: number }; getElementById(id: string): { textContent: string | null } | null };
declare const sessionStorage: { length: number; setItem(key: string, value: string): void };
declare function getComputedStyle(element: unknown): { color: string };

/** A Redis database of its own, so no other suite's gateways or indexers share its streams. */
function isolatedRedisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set');
  return `${url.replace(/\/\d*$/, '')}/8`;
}

// The operator's page (PROTOCOL section 3, GET /) in a real Chromium, against sessions made by
// real gateways and a real indexer, read through the real admin API.
describe('operator page', () => {
  const directory = mkdtempSync(join(tmpdir(), 'operator-page-'));
  const room = uniqueName('operator');
  let cluster: GatewayCluster;
  let indexer: AppProcess;
  let adminSearch: AppProcess;
  /** The gateways trace their sessions, so the page has a trace id to show (docs/operations.md, "Tracing"). */
  let spans: OtlpReceiver;
  let alice: SignalingClient & { peerId: string };
  let bob: SignalingClient & { peerId: string };
  let session: SessionDocument;
  let context: BrowserContext;
  let page: Page;
  /** Peers the operator-actions test joins; closed by afterAll whatever the test did to them. */
  const actionPeers: SignalingClient[] = [];
  const problems: string[] = [];
  /** HTTP statuses whose console error a test provokes on purpose; 401 is the login test's. */
  const expectedErrorStatuses = new Set(['401']);

  async function failedSession(): Promise<SessionDocument> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await fetch(`${adminSearch.baseUrl}/api/sessions?room=${room}`, { headers: { authorization: `Bearer ${ADMIN_API_KEY}` } });
      const answer = (await response.json()) as { hits?: SessionDocument[] };
      const hit = answer.hits?.find((doc) => doc.connection_state === 'failed');
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no failed session in ${room}: ${JSON.stringify(answer)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    const redisUrl = isolatedRedisUrl();
    const env = { REDIS_URL: redisUrl, SQLITE_PATH: join(directory, 'sessions.db') };
    spans = await OtlpReceiver.start();
    cluster = await startGatewayCluster(2, { REDIS_URL: redisUrl, SESSION_EVENTS_FLUSH_MS: '20', OTEL_EXPORTER_OTLP_ENDPOINT: spans.url });
    // settled, not Promise.all: if one refuses to start, the other is still stopped by afterAll
    const started = await Promise.allSettled([
      startApp('diagnostics-indexer', { ...env, NEGOTIATION_TIMEOUT_MS: '1000' }).then((app) => (indexer = app)),
      startApp('admin-search', { ...env, ADMIN_API_KEY }).then((app) => (adminSearch = app)),
    ]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;

    // an offer that is never answered: failed/no-answer once NEGOTIATION_TIMEOUT_MS passes
    alice = await SignalingClient.join(cluster.wsUrl(0, `room=${room}`), { headers: { 'user-agent': ALICE_AGENT } });
    bob = await SignalingClient.join(cluster.wsUrl(1, `room=${room}`));
    await alice.next('peer-joined');
    alice.send({ type: 'offer', to: bob.peerId, sdp: 'v=0 never answered' });
    alice.send({ type: 'candidate', to: bob.peerId, candidate: 'candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    await bob.next('offer');
    await bob.next('candidate');
    session = await failedSession();

    mkdirSync(SCREENSHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(join(directory, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1366, height: 768 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    });
    // the page must need nothing but admin-search: anything else is refused and reported
    await context.route(/^(?!http:\/\/127\.0\.0\.1:\d+\/)/, (route) => {
      problems.push(`request off this machine: ${route.request().url()}`);
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    // CSP violations and script errors surface as console errors and page errors
    page.on('console', (message) => {
      const status = /status of (\d{3})/.exec(message.text())?.[1];
      if (message.type() === 'error' && !(status && expectedErrorStatuses.has(status))) problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    alice?.close();
    bob?.close();
    for (const peer of actionPeers) peer.close();
    await Promise.all([cluster?.stop(), indexer?.stop(), adminSearch?.stop()]);
    await spans?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('asks for the key, and asks again when it is refused', async () => {
    await page.goto(`${adminSearch.baseUrl}/`);
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.locator('#app').isHidden()).toBe(true);

    await page.fill('#admin-key', 'not-the-key');
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('login-message')?.textContent?.includes('refused'));
    expect(await page.locator('#app').isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    // a kept key the API no longer takes (rotated): the first 401 brings the question back
    await page.evaluate(() => sessionStorage.setItem('sg-admin-api-key', 'rotated-away'));
    await page.reload();
    await page.waitForFunction(() => document.getElementById('login-message')?.textContent?.includes('refused'));
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await page.fill('#admin-key', ADMIN_API_KEY);
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor({ state: 'visible' });
    expect(await page.locator('#login').isHidden()).toBe(true);
  });

  it('builds filters from every input that the search API accepts', async () => {
    const filters = { q: 'timeout', state: 'failed', reason: 'no-answer', kind: 'call', room, user: 'o"k\\x', ip: '::1', from: 1700000000, to: 1700003600.5 };
    const view = { sort: { field: 'rtt_ms', direction: 'asc' }, limit: 50, offset: 100 };
    // the page's own module, run in the page: a string, so it is not rewritten for Node
    const body = (await page.evaluate(
      `import('/assets/session-search-query.js').then((m) => m.buildSearchRequest(${JSON.stringify(filters)}, ${JSON.stringify(view)}))`,
    )) as Record<string, unknown>;
    expect(body).toEqual({
      q: 'timeout',
      filter:
        `connection_state = "failed" AND failure_reason = "no-answer" AND kind = "call" AND room_id = "${room}"` +
        ' AND (client_a_user = "o\\"k\\\\x" OR client_b_user = "o\\"k\\\\x")' +
        ' AND (client_a_remote_addr "[::1]:" TO "[::1];" OR client_b_remote_addr "[::1]:" TO "[::1];")' +
        ' AND created_at >= 1700000000 AND created_at <= 1700003600.5',
      sort: ['rtt_ms:asc'],
      limit: 50,
      offset: 100,
      facets: ['connection_state', 'failure_reason', 'room_id'],
    });
    const response = await searchApi(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ hits: [], estimatedTotalHits: 0 });

    // a bare IP matches the session's `ip:port` addresses, as the page promises
    const byIp = (await page.evaluate(
      `import('/assets/session-search-query.js').then((m) => m.buildSearchRequest(${JSON.stringify({ room, ip: '127.0.0.1', from: null, to: null })}, ${JSON.stringify({ ...view, offset: 0 })}))`,
    )) as Record<string, unknown>;
    const found = (await (await searchApi(byIp)).json()) as { hits: SessionDocument[] };
    expect(found.hits.map((hit) => hit.session_id)).toEqual([session.session_id]);
  });

  it('filters by room with a quoted Meilisearch filter, and counts facets', async () => {
    await page.fill('#search-form [name=room]', room);
    const [request] = await Promise.all([page.waitForRequest('**/api/sessions/search'), page.click('#search-form button[type=submit]')]);
    const body = request.postDataJSON() as { filter?: string; facets?: string[]; sort?: string[] };
    expect(body.filter).toBe(`room_id = "${room}"`);
    expect(body.facets).toEqual(['connection_state', 'failure_reason', 'room_id']);
    expect(body.sort).toEqual(['created_at:desc']);

    const row = page.locator(`tr.result[data-session-id="${session.session_id}"]`);
    await row.waitFor();
    expect(await page.locator('tr.result').count()).toBe(1);
    expect(await page.locator('#page-info').textContent()).toBe('1–1 of about 1');
    const failedFacet = page.locator('.facet[data-field="connection_state"][data-value="failed"]');
    expect(await failedFacet.locator('.facet-count').textContent()).toBe('1');
    expect(await page.locator('.facet[data-field="failure_reason"][data-value="no-answer"] .facet-count').textContent()).toBe('1');
    expect(await page.locator(`.facet[data-field="room_id"][data-value="${room}"] .facet-count`).textContent()).toBe('1');

    // a facet click filters on its value
    const [facetRequest] = await Promise.all([page.waitForRequest('**/api/sessions/search'), failedFacet.click()]);
    expect((facetRequest.postDataJSON() as { filter: string }).filter).toBe(`connection_state = "failed" AND room_id = "${room}"`);
    await page.locator('.facet.selected[data-field="connection_state"][data-value="failed"]').waitFor();
    await row.waitFor();

    // a sortable header sorts through the API
    const [sortRequest] = await Promise.all([page.waitForRequest('**/api/sessions/search'), page.click('button.sort[data-sort="duration_ms"]')]);
    expect((sortRequest.postDataJSON() as { sort: string[] }).sort).toEqual(['duration_ms:desc']);
    await page.locator('th[aria-sort="descending"] button.sort[data-sort="duration_ms"]').waitFor();
    await row.waitFor();
  });

  it("opens the session: the ladder shows A's offer and the failure in red, and both peers' details", async () => {
    await page.locator(`tr.result[data-session-id="${session.session_id}"]`).click();
    const view = page.locator('#session-view');
    await view.locator('.ladder-step').first().waitFor();

    const offer = view.locator('.ladder-step[data-type="offer"]');
    expect(await offer.count()).toBe(1);
    expect(await offer.getAttribute('data-from')).toBe('a');
    expect(await offer.getAttribute('data-to')).toBe('b');
    expect(await offer.locator('.ladder-label').textContent()).toBe('offer');
    expect(await colorOf(offer)).not.toBe(FAILURE_RED);
    // the arrow runs from A's lifeline, left, to B's, right, through the gateway in the middle
    const arrow = await offer.locator('.ladder-line').boundingBox();
    const lanes = await view.locator('.ladder-head .lane-title').evaluateAll((titles) => titles.map((title) => title.getBoundingClientRect().left + title.getBoundingClientRect().width / 2));
    expect(arrow).not.toBeNull();
    expect(Math.abs((arrow?.x ?? 0) - lanes[0])).toBeLessThan(4);
    expect(Math.abs((arrow?.x ?? 0) + (arrow?.width ?? 0) - lanes[2])).toBeLessThan(4);

    const failure = view.locator('.ladder-step.failure');
    expect(await failure.count()).toBe(1);
    expect(await failure.getAttribute('data-type')).toBe('no-answer');
    expect(await failure.getAttribute('data-from')).toBe('gateway');
    expect(await colorOf(failure)).toBe(FAILURE_RED);
    const steps = await view.locator('.ladder-step').evaluateAll((items) => items.map((item) => item.getAttribute('data-type')));
    expect(steps.indexOf('offer')).toBeLessThan(steps.indexOf('no-answer'));
    expect(await colorOf(view.locator('.badge.state-failed'))).toBe('rgb(255, 255, 255)');
    await expect(view.locator('.outcome').textContent()).resolves.toContain('no-answer');

    // the session's trace, to look up in the tracing backend
    expect(session.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(await view.locator('.session-ids [data-field="trace_id"]').textContent()).toBe(session.trace_id);

    const field = (side: 'a' | 'b', name: string) => view.locator(`.peer-card[data-peer="${side}"] [data-field="${name}"]`).textContent();
    expect(await field('a', 'id')).toBe(alice.peerId);
    expect(await field('b', 'id')).toBe(bob.peerId);
    expect(await field('a', 'node')).toBe(cluster.nodeIds[0]);
    expect(await field('b', 'node')).toBe(cluster.nodeIds[1]);
    expect(await field('a', 'remote_addr')).toBe(session.client_a_remote_addr);
    expect(await field('a', 'remote_addr')).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await field('b', 'remote_addr')).toBe(session.client_b_remote_addr);
    expect(await field('a', 'candidate_types')).toBe('host');
    expect(await field('a', 'user_agent')).toBe(ALICE_AGENT);
    expect(await page.locator('#injected').count()).toBe(0);

    await page.screenshot({ path: join(SCREENSHOTS, 'operator-page-1366x768.png'), fullPage: true });
    expect(await horizontalOverflow()).toBe(0);
  });

  it('fits a 390 px wide screen: panels stack, the results table scrolls, the page does not', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // the key is kept for the tab and the open session is in the address, so a reload restores both
    await page.reload();
    await page.locator('#session-view .ladder-step[data-type="no-answer"]').waitFor();
    expect(await page.locator('#login').isHidden()).toBe(true);
    expect(await horizontalOverflow()).toBe(0);
    const results = await page.locator('.results-panel').boundingBox();
    const filters = await page.locator('#search-form').boundingBox();
    expect(results && filters && results.y > filters.y + filters.height - 1).toBe(true);
    expect(filters?.width).toBeGreaterThan(300);
    const tableScroll = await page.locator('.results-panel .table-scroll').evaluate((element) => element.scrollWidth > element.clientWidth);
    expect(tableScroll).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'operator-page-390x844.png'), fullPage: true });
  });

  it('kicks a peer, drains and undrains a node from the live view, each only once confirmed in the page', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const actionRoom = uniqueName('kick');
    const node = cluster.nodeIds[1];
    const carol = await SignalingClient.join(cluster.wsUrl(1, `room=${actionRoom}`));
    const dave = await SignalingClient.join(cluster.wsUrl(0, `room=${actionRoom}`));
    actionPeers.push(carol, dave);
    await carol.next('peer-joined');
    // every request of an operator action (GET /api/rooms and /api/nodes have no further segment)
    const actionRequests: string[] = [];
    const recordAction = (request: PageRequest) => {
      const path = new URL(request.url()).pathname;
      if (/^\/api\/(rooms|nodes)\/./.test(path)) actionRequests.push(`${request.method()} ${path}`);
    };
    page.on('request', recordAction);
    // a reload reads the live views at once instead of at the next 5 s refresh
    await page.reload();
    const dialog = page.locator('#confirm-dialog');
    const outcome = page.locator('#action-outcome');
    const kick = page.locator(`#live-rooms li[data-room-id="${actionRoom}"] li[data-peer-id="${carol.peerId}"] button.kick`);
    await kick.waitFor();
    expect(await outcome.isHidden()).toBe(true);

    // Cancel, then Escape: nothing is asked of the API, the peer stays
    await kick.click();
    await dialog.waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-question').textContent()).toBe(
      `Kick peer ${carol.peerId} from room ${actionRoom} on node ${node}? It cannot resume.`,
    );
    expect(await page.locator('#confirm-title').textContent()).toBe('Kick peer');
    // modal, with focus on Cancel, so a stray Enter does not act
    expect(await dialog.evaluate((element) => element.matches(':modal'))).toBe(true);
    expect(await page.locator('#confirm-cancel:focus').count()).toBe(1);
    await page.click('#confirm-cancel');
    await dialog.waitFor({ state: 'hidden' });
    await kick.click();
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(actionRequests).toEqual([]);
    expect(carol.ws.readyState).toBe(carol.ws.OPEN);
    expect(await outcome.isHidden()).toBe(true);
    const logged = await fetch(`${adminSearch.baseUrl}/api/actions?limit=20`, { headers: { authorization: `Bearer ${ADMIN_API_KEY}` } });
    expect(await logged.json()).toEqual([]);

    // Confirm: the node holding the peer closes it with 4000 and tells the room
    await kick.click();
    await dialog.waitFor({ state: 'visible' });
    const [kicked] = await Promise.all([page.waitForResponse((response) => response.url().endsWith(`/peers/${carol.peerId}/kick`)), page.click('#confirm-accept')]);
    expect(kicked.status()).toBe(200);
    expect((await carol.closed).code).toBe(4000);
    expect(await dave.next('peer-left')).toEqual({ type: 'peer-left', peerId: carol.peerId, reason: 'kicked' });
    await outcomeReads(`Kicked peer ${carol.peerId} from room ${actionRoom} on node ${node}.`);
    expect(await outcome.getAttribute('data-result')).toBe('ok');
    expect(actionRequests).toEqual([`POST /api/rooms/${actionRoom}/peers/${carol.peerId}/kick`]);
    // the live view and the log were read again after the action
    await kick.waitFor({ state: 'detached' });
    await page.locator(`#action-log li[data-action="kick"][data-target="${actionRoom}/${carol.peerId}"][data-result="ok"]`).waitFor();
    expect(await actionLog()).toEqual([`kick ${actionRoom}/${carol.peerId} ok`]);

    // Close room, first with a node that does not answer (504, made up in the browser), then for real
    const closeRoom = page.locator(`#live-rooms li[data-room-id="${actionRoom}"] > button.close-room`);
    const roomUrl = (url: URL) => url.pathname === `/api/rooms/${actionRoom}`;
    await page.route(roomUrl, (route) =>
      route.fulfill({
        status: 504,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 504, message: `gateway node ${cluster.nodeIds[0]} did not answer within 3 s`, error: 'Gateway Timeout' }),
      }),
    );
    expectedErrorStatuses.add('504');
    await closeRoom.click();
    await dialog.waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-question').textContent()).toBe(`Close room ${actionRoom} and kick its 1 peer on every node? They cannot resume.`);
    await page.click('#confirm-accept');
    await outcomeReads(`Could not close room ${actionRoom}: node did not answer`);
    expect(await outcome.getAttribute('data-result')).toBe('error');
    expect(await colorOf(outcome)).toBe(FAILURE_RED);
    await page.unroute(roomUrl);
    expectedErrorStatuses.delete('504');
    expect(dave.ws.readyState).toBe(dave.ws.OPEN);

    await closeRoom.click();
    await dialog.waitFor({ state: 'visible' });
    await page.click('#confirm-accept');
    expect((await dave.closed).code).toBe(4000);
    await outcomeReads(`Closed room ${actionRoom}: 1 peer kicked.`);
    await closeRoom.waitFor({ state: 'detached' });
    await page.locator(`#action-log li[data-action="close-room"][data-target="${actionRoom}"][data-result="ok"]`).waitFor();

    // Drain: /readyz 503 once the API answered, and the page marks the node draining
    await page.locator(`#live-nodes li[data-node-id="${node}"] button.drain`).click();
    await dialog.waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-question').textContent()).toContain(`Drain node ${node}? It takes no new sockets, its /readyz answers 503`);
    await page.click('#confirm-accept');
    await outcomeReads(`Node ${node} is draining.`);
    expect((await fetch(`${cluster.nodes[1].baseUrl}/readyz`)).status).toBe(503);
    const drainingNode = page.locator(`#live-nodes li.draining[data-node-id="${node}"]`);
    await drainingNode.locator('button.undrain').waitFor();
    expect(await drainingNode.locator('span').textContent()).toContain('draining');
    await page.locator(`#action-log li[data-action="drain"][data-target="${node}"][data-result="ok"]`).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'operator-actions-1366x768.png'), fullPage: true });
    expect(await horizontalOverflow()).toBe(0);

    // Undrain, on a phone: the dialog fits the screen; /readyz 200 again
    await page.setViewportSize({ width: 390, height: 844 });
    await drainingNode.locator('button.undrain').click();
    await dialog.waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-question').textContent()).toBe(`Undrain node ${node}? It takes new sockets again and its /readyz answers 200.`);
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await horizontalOverflow()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'operator-actions-confirm-390x844.png') });
    await page.click('#confirm-accept');
    await outcomeReads(`Node ${node} is serving again.`);
    expect((await fetch(`${cluster.nodes[1].baseUrl}/readyz`)).status).toBe(200);
    await page.locator(`#live-nodes li:not(.draining)[data-node-id="${node}"] button.drain`).waitFor();
    await page.locator(`#action-log li[data-action="undrain"][data-target="${node}"]`).waitFor();
    expect(await actionLog()).toEqual([`undrain ${node} ok`, `drain ${node} ok`, `close-room ${actionRoom} ok`, `kick ${actionRoom}/${carol.peerId} ok`]);
    expect(await horizontalOverflow()).toBe(0);
    page.off('request', recordAction);
  });

  it('met no script error, CSP violation or request off this machine', () => {
    expect(problems).toEqual([]);
  });

  function searchApi(body: unknown): Promise<Response> {
    return fetch(`${adminSearch.baseUrl}/api/sessions/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** "Recent actions" as the page shows it, newest first: `action target result` per entry. */
  function actionLog(): Promise<string[]> {
    return page
      .locator('#action-log li[data-action]')
      .evaluateAll((items) => items.map((item) => `${item.getAttribute('data-action')} ${item.getAttribute('data-target')} ${item.getAttribute('data-result')}`));
  }

  /** Waits until the action outcome line reads exactly `text`. */
  async function outcomeReads(text: string): Promise<void> {
    await page.waitForFunction((expected) => document.getElementById('action-outcome')?.textContent === expected, text);
  }

  function colorOf(locator: ReturnType<Page['locator']>): Promise<string> {
    return locator.evaluate((element) => getComputedStyle(element).color);
  }

  /** How far the page is wider than the window, in CSS pixels. */
  function horizontalOverflow(): Promise<number> {
    return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }
});

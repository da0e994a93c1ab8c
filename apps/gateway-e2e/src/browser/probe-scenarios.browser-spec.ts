import type { Page } from 'playwright-core';
import type { SessionDocument } from '@sg/schema';
import { startApp, uniqueName } from '@sg/testing';
import { SignJWT } from 'jose';
import { BrowserLab, grantMediaPermission, LAB_TIMING } from './support/browser-lab';
import { recordFinding, writeFindings } from './support/findings';

interface ProbeRow {
  probe: string;
  status: string;
  path: string;
  sessionId: string | null;
  peerId: string | null;
  /** Test time (ms) the row showed its result: the page says bye right after. */
  doneAt: number;
}

const PROBES = ['any', 'relay-udp', 'relay-tcp'];

/** Clicks "Run the test" and collects each row as it finishes, handing it to `onRow` at once. */
async function runConnectivityTest(page: Page, onRow: (row: ProbeRow) => void = () => undefined): Promise<ProbeRow[]> {
  await page.click('#run');
  const done = new Map<string, ProbeRow>();
  const deadline = Date.now() + 120_000;
  while (done.size < PROBES.length) {
    if (Date.now() > deadline) throw new Error(`connectivity test unfinished: ${[...done.keys()].join(', ')}`);
    const rows = await page.$$eval('#result-rows tr', (trs) =>
      trs.map((tr) => ({
        probe: tr.getAttribute('data-probe') ?? '',
        status: tr.getAttribute('data-status') ?? '',
        path: tr.children[2]?.textContent ?? '',
        sessionId: tr.querySelector('code[data-copy="session"]')?.textContent ?? null,
        peerId: tr.querySelector('code[data-copy="peer"]')?.textContent ?? null,
      })),
    );
    for (const row of rows) {
      if (!row.status || done.has(row.probe)) continue;
      const finished = { ...row, doneAt: Date.now() };
      done.set(row.probe, finished);
      onRow(finished);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return PROBES.map((probe) => done.get(probe) as ProbeRow);
}

// The connectivity page (PROTOCOL section 1, GET /connectivity) in Chromium against the probe peer.
describe('the connectivity page and the probe peer', () => {
  let lab: BrowserLab;
  const problems: string[] = [];

  beforeAll(async () => {
    // production deadlines: the page gives up on a path before the server's ICE deadline, so a
    // failing probe ends with the probe's own verdict, as it would for a user
    lab = await BrowserLab.start({ negotiationTimeoutMs: 30_000, iceTimeoutMs: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await lab?.stop();
    writeFindings('probe scenarios');
  });

  async function openPage(): Promise<Page> {
    const page = await lab.connectivityPage(0);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await grantMediaPermission(page);
    return page;
  }

  async function probeSession(row: ProbeRow, accept: (doc: SessionDocument) => boolean): Promise<{ doc: SessionDocument; seconds: number }> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const doc = row.sessionId ? await lab.pipeline.session(row.sessionId).catch(() => null) : null;
      if (doc && accept(doc)) return { doc, seconds: Math.max(0, (Date.now() - row.doneAt) / 1000) };
      if (Date.now() > deadline) {
        const ofPeer = await lab.pipeline.search(`client_a_id = "${row.peerId}"`);
        throw new Error(`probe session ${row.sessionId} not as expected: ${JSON.stringify(doc)?.slice(0, 2_000)}; sessions of peer ${row.peerId}: ${JSON.stringify(ofPeer).slice(0, 2_000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('9. probes direct, then relay-only via coturn (UDP and TCP), then relay-only with coturn down: sessions of kind probe with the server view', async () => {
    const page = await openPage();
    // each row's document is looked for the moment the row shows its result (the page says bye then)
    const found = new Map<string, Promise<{ doc: SessionDocument; seconds: number }>>();
    const lookFor = (accept: (doc: SessionDocument) => boolean) => (row: ProbeRow) => {
      const search = probeSession(row, accept);
      search.catch(() => undefined);
      found.set(row.sessionId ?? row.probe, search);
    };
    const up = await runConnectivityTest(page, lookFor((d) => d.connection_state === 'closed'));

    expect(up.map((row) => row.status)).toEqual(['pass', 'pass', 'pass']);
    expect(up[1].path).toMatch(/^relay\/udp -> /);
    expect(up[2].path).toMatch(/^relay\/tcp -> /);
    for (const row of up) {
      expect(row.sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const { doc, seconds } = await (found.get(row.sessionId as string) as Promise<{ doc: SessionDocument; seconds: number }>);
      expect(doc).toMatchObject({ kind: 'probe', client_a_id: row.peerId, client_b_id: 'probe', failure_reason: null, end_reason: 'bye', client_b_node: lab.nodeIds[0] });
      expect(doc.time_to_connected_ms).not.toBeNull();
      expect(doc.events.some((event) => event.by === 'server' && event.type === 'state' && event.detail?.includes('connection connected'))).toBe(true);
      if (row.probe !== 'any') {
        expect(doc.relay_used).toBe(true);
        expect(doc.candidate_pairs.some((pair) => pair.includes('relay/'))).toBe(true);
      }
      recordFinding({ scenario: `9. probe ${row.probe}, coturn up`, expected: row.probe === 'any' ? '`kind: probe`, connected, then `closed`' : '`kind: probe`, connected over a relay, then `closed`', seconds });
      expect(seconds).toBeLessThanOrEqual(LAB_TIMING.findableWithinMs / 1000);
    }

    await lab.turn.kill();
    const down = await runConnectivityTest(page, (row) => row.status === 'fail' && lookFor((d) => d.connection_state === 'failed')(row));

    expect(down.map((row) => row.status)).toEqual(['pass', 'fail', 'fail']);
    for (const row of down.slice(1)) {
      const { doc, seconds } = await (found.get(row.sessionId as string) as Promise<{ doc: SessionDocument; seconds: number }>);
      expect(doc).toMatchObject({ kind: 'probe', failure_reason: 'ice-failed', time_to_connected_ms: null });
      expect(doc.events.some((event) => event.by === 'server' && event.type === 'state' && event.detail?.includes('connection failed'))).toBe(true);
      recordFinding({ scenario: `9. probe ${row.probe}, coturn down`, expected: '`kind: probe`, `failed` / `ice-failed` (the probe\'s view)', seconds });
      expect(seconds).toBeLessThanOrEqual(LAB_TIMING.findableWithinMs / 1000);
    }
    expect(problems).toEqual([]);
    await lab.turn.start();
  }, 180_000);

  it('with auth on, asks for a token, says so in words when it is refused, and runs with a valid one', async () => {
    const secret = 'connectivity-page-jwt-secret-0123456789abcdef';
    const gateway = await startApp('gateway', { NODE_ID: uniqueName('auth-node'), REDIS_URL: lab.pipeline.redis.url, ENABLE_AUTH: 'true', JWT_SECRET: secret });
    const page = await lab.browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${gateway.port}/connectivity`);
      await grantMediaPermission(page);
      await page.waitForSelector('#token-field:not([hidden])');
      expect(await page.getAttribute('#token', 'type')).toBe('password');

      await page.fill('#token', 'not-a-token');
      const refused = await runConnectivityTest(page);
      expect(refused[0].status).toBe('fail');
      expect(await page.textContent('#result-rows tr[data-probe="any"] .detail')).toContain('the access token is missing or not valid');

      const token = await new SignJWT({ rooms: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('user-7').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
      await page.fill('#token', token);
      const accepted = await runConnectivityTest(page);
      // no TURN on this node: the relay probes have nothing to test
      expect(accepted.map((row) => row.status)).toEqual(['pass', 'skipped', 'skipped']);
      const { doc } = await probeSession(accepted[0], (d) => d.connection_state === 'closed');
      expect(doc).toMatchObject({ kind: 'probe', client_a_user: 'user-7', failure_reason: null });
    } finally {
      await page.close();
      await gateway.stop();
    }
  }, 90_000);

  it('serves its page and assets under a CSP that allows nothing but this origin', async () => {
    const response = await fetch(`http://127.0.0.1:${lab.nodes[0].port}/connectivity`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await response.text()).toContain('<title>Connectivity test</title>');
    expect((await fetch(`http://127.0.0.1:${lab.nodes[0].port}/connectivity/assets/probe-run.js`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${lab.nodes[0].port}/connectivity/assets/..%2Fmain.js`)).status).toBe(404);
    expect(await (await fetch(`http://127.0.0.1:${lab.nodes[0].port}/connectivity/settings`)).json()).toEqual({ authRequired: false, probeEnabled: true });
  });
});

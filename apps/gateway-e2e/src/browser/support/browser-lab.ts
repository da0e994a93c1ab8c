import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import type { SessionDocument } from '@sg/schema';
import { AppProcess, startApp, startTurnServer, ThrowawayTurnServer, uniqueName } from '@sg/testing';
import { SessionPipeline } from '../../support/session-pipeline';

/** The page's globals as page.evaluate callbacks see them: the in-page call client (support/page/call-client.js). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: { CallClient: any; client: any };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const navigator: any;

const CHROMIUM = '/usr/bin/chromium';
const TURN_SECRET = 'browser-scenarios-turn-secret-0123456789';

/** The deadlines the scenarios run with: short, so a failure shows in seconds, not the default 30. */
export const LAB_TIMING = {
  negotiationTimeoutMs: 5_000,
  iceTimeoutMs: 5_000,
  resumeWindowMs: 2_000,
  nodeTtlMs: 1_500,
  nodeHeartbeatIntervalMs: 500,
  /** PROTOCOL section 2: a session is searchable within 2 s of its event (INDEX_MAX_LAG_MS). */
  findableWithinMs: 2_000,
} as const;

/** One page running the in-page call client (support/page/call-client.js) as `window.client`. */
export class BrowserPeer {
  constructor(
    readonly page: Page,
    readonly peerId: string,
  ) {}

  call(remote: string, options: { iceRestart?: boolean } = {}): Promise<void> {
    return this.page.evaluate(([to, opts]) => window.client.call(to, opts), [remote, options] as const);
  }

  /** Resolves with the page's Date.now() when the connection reached `state`. */
  waitFor(state: string, timeoutMs = 20_000): Promise<number> {
    return this.page.evaluate(([s, t]) => window.client.waitFor(s, t), [state, timeoutMs] as const);
  }

  reportStats(): Promise<Record<string, unknown>> {
    return this.page.evaluate(() => window.client.reportStats());
  }

  addVideo(): Promise<void> {
    return this.page.evaluate(() => window.client.addVideo());
  }

  hangUp(reason?: string): Promise<void> {
    return this.page.evaluate((r) => window.client.hangUp(r), reason);
  }

  bye(): Promise<void> {
    return this.page.evaluate(() => window.client.bye());
  }

  setCandidates(options: { send?: boolean; accept?: boolean }): Promise<void> {
    return this.page.evaluate((o) => window.client.setCandidates(o), options);
  }

  /** Frames of `type` the page received. */
  received(type: string): Promise<Array<Record<string, unknown>>> {
    return this.page.evaluate((t) => window.client.received(t), type);
  }

  async waitForFrame(type: string, accept: (frame: Record<string, unknown>) => boolean = () => true, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = (await this.received(type)).find(accept);
      if (frame) return frame;
      if (Date.now() > deadline) throw new Error(`no ${type} frame within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

export interface JoinOptions {
  node: number;
  relayOnly?: boolean;
  autoAnswer?: boolean;
  sendCandidates?: boolean;
  acceptCandidates?: boolean;
}

/**
 * Everything a browser scenario needs, all on loopback inside the test's network namespace:
 * two gateway nodes with coturn's time-limited credentials, the indexer and admin-search on
 * one Redis and one SQLite file, Debian's coturn, Debian's Chromium, and a plain page
 * server for the in-page call client.
 */
export class BrowserLab {
  private readonly pages: Page[] = [];
  private readonly extraNodes: AppProcess[] = [];

  private constructor(
    readonly pipeline: SessionPipeline,
    readonly turn: ThrowawayTurnServer,
    readonly browser: Browser,
    private readonly pageServer: Server,
    private readonly gatewayEnv: Record<string, string>,
    /** The gateway nodes in use and their ids; a killed one is replaced by `replaceNode`. */
    readonly nodes: AppProcess[],
    readonly nodeIds: string[],
  ) {}

  /**
   * `deadlines`: the indexer's NEGOTIATION_TIMEOUT_MS and ICE_TIMEOUT_MS, short by default
   * (LAB_TIMING); the probe scenarios keep the production defaults, under which the
   * connectivity page gives up on a path (15 s) before the server's ICE deadline (30 s).
   */
  static async start(deadlines: { negotiationTimeoutMs: number; iceTimeoutMs: number } = LAB_TIMING): Promise<BrowserLab> {
    const turn = await startTurnServer(TURN_SECRET);
    const gatewayEnv = {
      TURN_URLS: `${turn.urls.udp},${turn.urls.tcp}`,
      TURN_SECRET,
      RESUME_WINDOW_MS: String(LAB_TIMING.resumeWindowMs),
      NODE_TTL_MS: String(LAB_TIMING.nodeTtlMs),
      NODE_HEARTBEAT_INTERVAL_MS: String(LAB_TIMING.nodeHeartbeatIntervalMs),
      RATE_LIMIT_CONN_PER_10S: '0',
    };
    const starting = [
      SessionPipeline.start({
        gateways: 2,
        gatewayEnv,
        indexerEnv: { NEGOTIATION_TIMEOUT_MS: String(deadlines.negotiationTimeoutMs), ICE_TIMEOUT_MS: String(deadlines.iceTimeoutMs) },
      }),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          // real addresses instead of mDNS names, and no multicast queries for them
          '--disable-features=WebRtcHideLocalIpsWithMdns',
          // 127.0.0.1 is the only address in the test's network namespace
          '--allow-loopback-in-peer-connection',
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
        ],
      }),
      startPageServer(),
    ] as const;
    const started = await Promise.allSettled(starting);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      // nothing of a half-started lab may outlive the test run
      const [pipelineResult, browserResult, serverResult] = started;
      if (pipelineResult.status === 'fulfilled') await pipelineResult.value.stop();
      if (browserResult.status === 'fulfilled') await browserResult.value.close();
      if (serverResult.status === 'fulfilled') serverResult.value.close();
      await turn.stop();
      throw (failure as PromiseRejectedResult).reason;
    }
    const [pipeline, browser, pageServer] = started.map((result) => (result as PromiseFulfilledResult<unknown>).value) as [SessionPipeline, Browser, Server];
    return new BrowserLab(pipeline, turn, browser, pageServer, gatewayEnv, [...pipeline.cluster.nodes], [...pipeline.cluster.nodeIds]);
  }

  get pageOrigin(): string {
    return `http://127.0.0.1:${(this.pageServer.address() as AddressInfo).port}`;
  }

  wsUrl(node: number, room: string): string {
    return `ws://127.0.0.1:${this.nodes[node].port}/ws?room=${encodeURIComponent(room)}`;
  }


  /** A new page that has joined `room` on gateway `node`. */
  async join(room: string, options: JoinOptions): Promise<BrowserPeer> {
    const page = await this.browser.newPage();
    this.pages.push(page);
    page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
    await page.goto(`${this.pageOrigin}/`);
    const { node, ...given } = options;
    // only what the test set: an undefined here would override the client's own defaults
    const clientOptions = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
    const peerId = await page.evaluate(
      async ([url, opts]) => {
        window.client = await window.CallClient.join(url, opts);
        return window.client.peerId as string;
      },
      [this.wsUrl(node, room), clientOptions] as const,
    );
    return new BrowserPeer(page, peerId);
  }

  /** A page of the gateway's own connectivity test, on `node`. */
  async connectivityPage(node: number): Promise<Page> {
    const page = await this.browser.newPage();
    this.pages.push(page);
    await page.goto(`http://127.0.0.1:${this.nodes[node].port}/connectivity`);
    return page;
  }

  /** SIGKILLs gateway `node`: its sockets drop with no close frame, its heartbeats stop. */
  async killNode(node: number): Promise<void> {
    await this.nodes[node].stop('SIGKILL');
  }

  /** Starts a new gateway in place of a killed one, so later scenarios have two nodes again. */
  async replaceNode(node: number): Promise<void> {
    const nodeId = uniqueName(`node${node + 1}`);
    const replacement = await startApp('gateway', { NODE_ID: nodeId, REDIS_URL: this.pipeline.redis.url, ...this.gatewayEnv });
    this.extraNodes.push(replacement);
    this.nodes[node] = replacement;
    this.nodeIds[node] = nodeId;
  }

  /**
   * Polls admin-search with one query for the room's session until `accept` holds; resolves
   * with the document and the seconds from `decisiveAt` (ms) to the first answer that held.
   */
  async findable(room: string, accept: (doc: SessionDocument) => boolean, decisiveAt: number, timeoutMs = 15_000): Promise<{ doc: SessionDocument; seconds: number }> {
    const { doc, seenAt } = await this.pipeline.waitForSession(room, accept, timeoutMs);
    return { doc, seconds: Math.max(0, (seenAt - decisiveAt) / 1000) };
  }

  async closePages(): Promise<void> {
    await Promise.all(this.pages.splice(0).map((page) => page.close().catch(() => undefined)));
  }

  async stop(): Promise<void> {
    await this.closePages();
    await this.browser.close();
    await new Promise((resolve) => this.pageServer.close(resolve));
    await Promise.all(this.extraNodes.map((node) => node.stop()));
    await this.pipeline.stop();
    await this.turn.stop();
  }
}

/**
 * Chromium gathers host candidates on every interface only for a page with a media permission;
 * without one it takes the default route's address, and the tests' network namespace has no
 * route but loopback. The fake-device grant stands in for the camera prompt a calling app shows.
 */
export async function grantMediaPermission(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) track.stop();
  });
}

/** Serves a blank page and the call client: the pages' origin, apart from the gateways'. */
function startPageServer(): Promise<Server> {
  const script = readFileSync(join(__dirname, 'page', 'call-client.js'));
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>call</title><script src="/call-client.js"></script></head><body></body></html>';
  const server = createServer((request, response) => {
    if (request.url === '/call-client.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

import { AppProcess, documentedMetrics, freePort, MetricApp, parsePrometheusScrape, runAppToExit, SignalingClient, startApp, uniqueName } from '@sg/testing';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

const ADMIN_API_KEY = 'test-admin-key-0123456789';

function redisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set');
  return url;
}

async function metricsText(app: AppProcess): Promise<string> {
  return (await fetch(`${app.baseUrl}/metrics`)).text();
}

/** prom-client's default Node.js metrics, the same on every app (docs list them in prose). */
function isProcessMetric(name: string): boolean {
  return name.startsWith('process_') || name.startsWith('nodejs_');
}

// How the apps start, what they serve and how they refuse bad configuration (PROTOCOL sections 3 and 4).
describe('the three apps', () => {
  let cluster: GatewayCluster;
  let indexer: AppProcess;
  let adminSearch: AppProcess;

  beforeAll(async () => {
    cluster = await startGatewayCluster(2);
    [indexer, adminSearch] = await Promise.all([
      startApp('diagnostics-indexer', { REDIS_URL: redisUrl(), SQLITE_PATH: ':memory:' }),
      startApp('admin-search', { REDIS_URL: redisUrl(), ADMIN_API_KEY, SQLITE_PATH: ':memory:' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([cluster.stop(), indexer.stop(), adminSearch.stop()]);
  });

  /** One process of each app: the gateway's first node. */
  const processOf = (app: 'gateway' | 'diagnostics-indexer' | 'admin-search'): AppProcess =>
    app === 'gateway' ? cluster.nodes[0] : app === 'diagnostics-indexer' ? indexer : adminSearch;

  it.each(['gateway', 'diagnostics-indexer', 'admin-search'] as const)('%s serves /healthz, /readyz and /metrics', async (app) => {
    const process = processOf(app);
    expect((await fetch(`${process.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${process.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', details: { redis: { status: 'up' } } });
    const metrics = await fetch(`${process.baseUrl}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('process_cpu_seconds_total');
  });

  it.each(['gateway', 'diagnostics-indexer', 'admin-search'] as const)('%s times its event loop every 50 ms, not every 10', async (app) => {
    const process = processOf(app);
    // each scrape reports the samples since the one before: a few periods' worth, then read them
    await metricsText(process);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const line = (await metricsText(process)).split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_min_seconds'));
    const shortest = Number(line?.split(' ').pop());
    // every sample is at least one timer period long: about 0.01 s at prom-client's default
    expect(shortest).toBeGreaterThan(0.045);
    expect(shortest).toBeLessThan(0.4);
  });

  describe('on apps of their own, before any event', () => {
    // apps of their own on a Redis database of their own: nothing has happened to count yet
    let quietApps: AppProcess[] = [];
    const served = new Map<MetricApp, string>();

    beforeAll(async () => {
      const quiet = `${redisUrl().replace(/\/\d*$/, '')}/12`;
      quietApps = await Promise.all([
        startApp('gateway', { REDIS_URL: quiet, NODE_ID: uniqueName('quiet') }),
        startApp('diagnostics-indexer', { REDIS_URL: quiet, SQLITE_PATH: ':memory:' }),
        startApp('admin-search', { REDIS_URL: quiet, ADMIN_API_KEY, SQLITE_PATH: ':memory:' }),
      ]);
      const texts = await Promise.all(quietApps.map(metricsText));
      (['gateway', 'diagnostics-indexer', 'admin-search'] as const).forEach((app, i) => served.set(app, texts[i]));
    });

    afterAll(async () => {
      await Promise.all(quietApps.map((app) => app.stop('SIGTERM')));
    });

    it('has every labelled counter series from start-up, at 0 until its first event', () => {
      const [gateway, indexerText, adminText] = [served.get('gateway'), served.get('diagnostics-indexer'), served.get('admin-search')];
      for (const result of ['admitted', 'full', 'bad-request', 'unauthorized', 'forbidden', 'unavailable', 'overloaded', 'rate-limited']) {
        expect(gateway).toMatch(new RegExp(`^signaling_admissions_total\\{result="${result}"[^}]*\\} 0$`, 'm'));
      }
      for (const reason of ['bye', 'disconnected', 'timeout', 'node-lost', 'kicked']) {
        expect(gateway).toMatch(new RegExp(`^signaling_peers_left_total\\{reason="${reason}"[^}]*\\} 0$`, 'm'));
      }
      for (const scope of ['peer', 'ip', 'room']) expect(gateway).toMatch(new RegExp(`^signaling_rate_limited_total\\{scope="${scope}"[^}]*\\} 0$`, 'm'));
      for (const stage of ['read', 'handler', 'ack', 'store write']) {
        expect(indexerText).toMatch(new RegExp(`^indexer_retries_total\\{stage="${stage}"[^}]*\\} 0$`, 'm'));
      }
      expect(adminText).toMatch(/^admin_actions_total\{action="kick",result="ok"[^}]*\} 0$/m);
    });

    it.each(['gateway', 'diagnostics-indexer', 'admin-search'] as const)('%s serves exactly the metrics docs/operations.md lists, with their types, labels and start-up values', (app) => {
      const scrape = parsePrometheusScrape(served.get(app) ?? '');
      const documented = documentedMetrics().filter((metric) => metric.app === app);
      expect(new Map([...scrape.types].filter(([name]) => !isProcessMetric(name)))).toEqual(new Map(documented.map((metric) => [metric.name, metric.type])));
      for (const metric of documented) {
        const series = scrape.samples.filter((sample) => sample.metric === metric.name);
        const labels = new Set(series.flatMap((sample) => [...sample.labels.keys()]).filter((label) => label !== 'app' && label !== 'le'));
        expect({ metric: metric.name, undocumented: [...labels].filter((label) => !metric.labels.has(label)) }).toEqual({ metric: metric.name, undocumented: [] });
        if (!metric.fromStartUp) continue;
        for (const [label, values] of metric.labels) {
          if (values === null) continue;
          const atStartUp = new Set(series.filter((sample) => sample.value === 0).map((sample) => sample.labels.get(label)));
          expect({ metric: metric.name, label, values: [...atStartUp].sort() }).toEqual({ metric: metric.name, label, values: [...values].sort() });
        }
      }
    });
  });

  it('exposes the gateway metrics without any id as a label', async () => {
    const room = uniqueName('metrics');
    const alice = await SignalingClient.join(cluster.wsUrl(0, `room=${room}`));
    const bob = await SignalingClient.join(cluster.wsUrl(0, `room=${room}`));
    alice.send({ type: 'offer', to: bob.peerId, sdp: 'v=0' });
    await bob.next('offer');
    alice.send('garbage');
    await alice.next('error');
    const text = await metricsText(cluster.nodes[0]);
    for (const name of [
      'signaling_websockets_active',
      'signaling_rooms_active',
      'signaling_messages_total',
      'signaling_ice_negotiation_seconds_bucket',
      'signaling_schema_rejects_total',
      'signaling_redis_roundtrip_seconds_bucket',
      'signaling_fanout_seconds_bucket',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/^signaling_websockets_active\{[^}]*\} 2$/m);
    expect(text).toMatch(/^signaling_rooms_active\{[^}]*\} 1$/m);
    expect(text).toMatch(/^signaling_messages_total\{[^}]*msg_type="offer"[^}]*direction="in"[^}]*\} 1$/m);
    expect(text).toMatch(/^signaling_messages_total\{[^}]*msg_type="offer"[^}]*direction="out"[^}]*\} 1$/m);
    expect(text).toMatch(/^signaling_schema_rejects_total\{[^}]*\} 1$/m);
    expect(text).toMatch(/signaling_ice_negotiation_seconds_bucket\{le="0.05"/);
    expect(text).toMatch(/signaling_ice_negotiation_seconds_bucket\{le="10"/);
    for (const id of [room, alice.peerId, bob.peerId]) expect(text).not.toContain(id);
    alice.close();
    bob.close();
  });

  it('lists live gateway nodes and rooms through the admin API, only with the key', async () => {
    const room = uniqueName('admin');
    const alice = await SignalingClient.join(cluster.wsUrl(1, `room=${room}`));
    expect((await fetch(`${adminSearch.baseUrl}/api/nodes`)).status).toBe(401);
    const wrong = await fetch(`${adminSearch.baseUrl}/api/rooms`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(await wrong.json())).not.toContain(room);
    const auth = { headers: { authorization: `Bearer ${ADMIN_API_KEY}` } };
    const nodes = (await (await fetch(`${adminSearch.baseUrl}/api/nodes`, auth)).json()) as Array<Record<string, unknown>>;
    expect(nodes.map((node) => node['node_id'])).toEqual(expect.arrayContaining(cluster.nodeIds));
    expect(nodes[0]).toEqual({
      node_id: expect.any(String),
      connections: expect.any(Number),
      rooms: expect.any(Number),
      started_at: expect.any(Number),
      last_seen: expect.any(Number),
      draining: false,
    });
    const rooms = (await (await fetch(`${adminSearch.baseUrl}/api/rooms`, auth)).json()) as Array<{ room_id: string; peers: unknown[] }>;
    expect(rooms.find((entry) => entry.room_id === room)).toEqual({
      room_id: room,
      peers: [{ peer_id: alice.peerId, user: null, node: cluster.nodeIds[1], joined_at: expect.any(Number) }],
    });
    alice.close();
  });

  it.each([
    ['gateway', { PORT: 'eighty' }, 'PORT'],
    ['gateway', { ROOM_CAPACITY: '0' }, 'ROOM_CAPACITY'],
    ['gateway', { REDIS_URL: 'http://nope' }, 'REDIS_URL'],
    ['gateway', { TURN_SECRET: 'short-secret-x' , TURN_URLS: 'turn:t.example.test' }, 'TURN_SECRET'],
    // auth on with no key to check tokens against would admit no one, or everyone
    ['gateway', { ENABLE_AUTH: 'true' }, 'JWT_SECRET'],
    ['gateway', { ENABLE_AUTH: 'true' }, 'JWT_JWKS_URL'],
    ['gateway', { ENABLE_AUTH: 'true', JWT_SECRET: 'short-hs256-secret' }, 'JWT_SECRET'],
    ['gateway', { TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES'],
    ['diagnostics-indexer', { STORE: 'postgres' }, 'STORE'],
    ['admin-search', {}, 'ADMIN_API_KEY'],
  ] as const)('%s refuses to start with %j, naming %s', async (app, env, variable) => {
    const result = await runAppToExit(app, { ...env, REDIS_URL: (env as Record<string, string>)['REDIS_URL'] ?? redisUrl() });
    expect(result.code).toBe(1);
    expect(result.output).toContain(variable);
    for (const value of Object.values(env)) if (value.length > 4) expect(result.output).not.toContain(value);
  });

  it.each(['gateway', 'diagnostics-indexer', 'admin-search'] as const)('%s names Redis, without its password, when it cannot reach it at start-up', async (app) => {
    const port = await freePort();
    const result = await runAppToExit(app, { REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${port}/2`, ADMIN_API_KEY: 'apps-e2e-admin-key-0123456789', SQLITE_PATH: ':memory:' });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`cannot reach Redis at redis://127.0.0.1:${port}/2 (REDIS_URL): connect ECONNREFUSED`);
    expect(result.output).not.toContain('hunter2');
    expect(result.output).not.toContain('max retries');
  });

  it('the indexer names its session store in readiness', async () => {
    const ready = (await (await fetch(`${indexer.baseUrl}/readyz`)).json()) as { details: Record<string, { status: string }> };
    expect(ready.details['store']).toEqual({ status: 'up', kind: 'sqlite' });
  });
});

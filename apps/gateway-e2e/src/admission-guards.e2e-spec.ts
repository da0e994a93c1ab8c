import { AppProcess, SignalingClient, startApp, startRedisServer, ThrowawayRedis, uniqueName, within } from '@sg/testing';

// Admission refusals that need their own node: origin checks, and Redis being away.
describe('admission guards', () => {
  let redis: ThrowawayRedis;
  let gateway: AppProcess;

  beforeAll(async () => {
    // a private Redis: this suite stops it
    redis = await startRedisServer();
    gateway = await startApp('gateway', {
      NODE_ID: uniqueName('guard'),
      REDIS_URL: redis.url,
      ALLOWED_ORIGINS: 'https://app.example.test,https://other.example.test',
    });
  });

  afterAll(async () => {
    await gateway.stop('SIGKILL');
    await redis.stop();
  });

  const url = (query: string) => `ws://127.0.0.1:${gateway.port}/ws?${query}`;

  it('admits an allowed origin', async () => {
    const client = await SignalingClient.join(url(`room=${uniqueName('o')}`), { headers: { origin: 'https://other.example.test' } });
    expect(client.welcome['type']).toBe('welcome');
    client.close();
  });

  it.each([['https://evil.example.test'], [undefined]])('closes with 4403 for origin %s', async (origin) => {
    const client = await SignalingClient.connect(url(`room=${uniqueName('o')}`), origin ? { headers: { origin } } : {});
    expect((await client.closed).code).toBe(4403);
    expect(client.frames).toEqual([]);
  });

  it('closes with 1013 when Redis is unavailable for admission, and reports not ready', async () => {
    await redis.stop();
    const client = await SignalingClient.connect(url(`room=${uniqueName('down')}`), { headers: { origin: 'https://app.example.test' } });
    expect((await client.closed).code).toBe(1013);
    expect(client.frames).toEqual([]);
    const ready = await fetch(`${gateway.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
    expect((await fetch(`${gateway.baseUrl}/healthz`)).status).toBe(200);
  });
});

// Redis keeps nothing on disk: after a restart the cluster's rooms are gone.
describe('after Redis restarts empty', () => {
  let redis: ThrowawayRedis;
  let gateway: AppProcess;

  beforeAll(async () => {
    redis = await startRedisServer();
    gateway = await startApp('gateway', { NODE_ID: uniqueName('restart'), REDIS_URL: redis.url });
  });

  afterAll(async () => {
    await gateway.stop('SIGKILL');
    await redis.stop();
  });

  it('closes the peers it can no longer account for with 1013, then admits them again', async () => {
    const room = uniqueName('restart');
    const url = `ws://127.0.0.1:${gateway.port}/ws?room=${room}`;
    const alice = await SignalingClient.join(url);
    await redis.stop();
    redis = await startRedisServer({ port: redis.port });
    // the node learns from its next heartbeat that the cluster no longer knows it
    expect(await within(alice.closed, 10_000)).toMatchObject({ code: 1013 });
    let again: (SignalingClient & { welcome: Record<string, unknown> }) | null = null;
    for (let attempt = 0; attempt < 50 && !again; attempt++) {
      again = await SignalingClient.join(url).catch(() => null);
      if (!again) await new Promise((r) => setTimeout(r, 100));
    }
    expect(again?.welcome['peers']).toEqual([]);
    again?.close();
  });
});

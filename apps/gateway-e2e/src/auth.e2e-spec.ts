import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { CryptoKey, exportJWK, exportSPKI, generateKeyPair, JWK, JWTPayload, SignJWT } from 'jose';
import { AppProcess, SignalingClient, startApp, uniqueName } from '@sg/testing';
import { sessionEventStreams } from './support/redis-keys';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

// Access control of the signaling socket (PROTOCOL section 1: token, origin; section 2: remote address).

const SECRET = 'e2e-hs256-secret-0123456789abcdefghij';
const ISSUER = 'https://id.example.test';
const AUDIENCE = 'signaling-e2e';
const ORIGIN = 'https://app.example.test';
const ADMIN_API_KEY = 'test-admin-key-0123456789';

function redisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set');
  return url;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: uniqueName('user'), iss: ISSUER, aud: AUDIENCE, exp: nowSeconds() + 300, rooms: '*', ...overrides };
}

function without(payload: JWTPayload, key: string): JWTPayload {
  const copy = { ...payload };
  delete copy[key];
  return copy;
}

function b64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function hs256(payload: JWTPayload, secret = SECRET, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', ...header }).sign(new TextEncoder().encode(secret));
}

function unsigned(payload: JWTPayload): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}

/** Everything a test used as a token, to check none of it reached the logs. */
const tokensSeen: string[] = [];

function remember(token: string): string {
  tokensSeen.push(token);
  return token;
}

function expectNoTokenIn(output: string): void {
  for (const token of tokensSeen) {
    const signature = token.split('.')[2];
    expect(output).not.toContain(token);
    if (signature && signature.length > 16) expect(output).not.toContain(signature);
  }
}

async function refusedWith(url: string, options: { headers?: Record<string, string> } = {}): Promise<{ code: number; frames: unknown[] }> {
  const client = await SignalingClient.connect(url, options);
  const closed = await client.closed;
  return { code: closed.code, frames: client.frames };
}

describe('token authentication with HS256', () => {
  let cluster: GatewayCluster;
  let adminSearch: AppProcess;
  const withOrigin = { headers: { origin: ORIGIN } };
  const url = (node: number, room: string, token?: string) =>
    cluster.wsUrl(node, token === undefined ? `room=${room}` : `room=${room}&token=${encodeURIComponent(remember(token))}`);

  beforeAll(async () => {
    [cluster, adminSearch] = await Promise.all([
      startGatewayCluster(2, {
        ENABLE_AUTH: 'true',
        JWT_SECRET: SECRET,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        JWT_CLOCK_TOLERANCE_SECONDS: '5',
        ALLOWED_ORIGINS: ORIGIN,
        LOG_LEVEL: 'debug',
      }),
      startApp('admin-search', { REDIS_URL: redisUrl(), ADMIN_API_KEY, SQLITE_PATH: ':memory:' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([cluster.stop(), adminSearch.stop()]);
  });

  it('admits tokens from the query and from the header, across nodes, and relays offer and answer', async () => {
    const room = uniqueName('auth');
    const aliceToken = await hs256(claims({ sub: 'alice', rooms: [room] }));
    const bobToken = remember(await hs256(claims({ sub: 'bob', rooms: ['elsewhere', room] })));
    const alice = await SignalingClient.join(url(0, room, aliceToken), withOrigin);
    const bob = await SignalingClient.join(cluster.wsUrl(1, `room=${room}`), {
      headers: { origin: ORIGIN, authorization: `Bearer ${bobToken}` },
    });
    expect(bob.welcome['peers']).toEqual([{ peerId: alice.peerId }]);
    expect(await alice.next('peer-joined')).toEqual({ type: 'peer-joined', peerId: bob.peerId });
    alice.send({ type: 'offer', to: bob.peerId, sdp: 'v=0 offer' });
    expect(await bob.next('offer')).toEqual({ type: 'offer', from: alice.peerId, sdp: 'v=0 offer' });
    bob.send({ type: 'answer', to: alice.peerId, sdp: 'v=0 answer' });
    expect(await alice.next('answer')).toEqual({ type: 'answer', from: bob.peerId, sdp: 'v=0 answer' });
    alice.close();
    bob.close();
  });

  it('lists each peer with its token subject as the user in GET /api/rooms', async () => {
    const room = uniqueName('users');
    const alice = await SignalingClient.join(url(0, room, await hs256(claims({ sub: 'alice@example.test' }))), withOrigin);
    const bob = await SignalingClient.join(url(1, room, await hs256(claims({ sub: 'bob@example.test' }))), withOrigin);
    const response = await fetch(`${adminSearch.baseUrl}/api/rooms`, { headers: { authorization: `Bearer ${ADMIN_API_KEY}` } });
    const rooms = (await response.json()) as Array<{ room_id: string; peers: Array<{ peer_id: string; user: string | null; node: string }> }>;
    const peers = rooms.find((entry) => entry.room_id === room)?.peers ?? [];
    expect(peers.map(({ peer_id, user, node }) => ({ peer_id, user, node })).sort((a, b) => a.node.localeCompare(b.node))).toEqual(
      [
        { peer_id: alice.peerId, user: 'alice@example.test', node: cluster.nodeIds[0] },
        { peer_id: bob.peerId, user: 'bob@example.test', node: cluster.nodeIds[1] },
      ].sort((a, b) => a.node.localeCompare(b.node)),
    );
    alice.close();
    bob.close();
  });

  it('admits a token whose rooms claim is "*" to any room', async () => {
    const client = await SignalingClient.join(url(1, uniqueName('star'), await hs256(claims({ rooms: '*' }))), withOrigin);
    expect(client.welcome['type']).toBe('welcome');
    client.close();
  });

  const badTokens: Array<[string, () => Promise<string>]> = [
    ['alg none', async () => unsigned(claims())],
    ['a wrong signature', () => hs256(claims(), 'another-secret-0123456789abcdefghijkl')],
    ['an expired token', () => hs256(claims({ exp: nowSeconds() - 120 }))],
    ['no exp', () => hs256(without(claims(), 'exp'))],
    ['a wrong issuer', () => hs256(claims({ iss: 'https://evil.example.test' }))],
    ['a wrong audience', () => hs256(claims({ aud: 'another-service' }))],
    ['a token not yet valid', () => hs256(claims({ nbf: nowSeconds() + 120 }))],
    ['no sub', () => hs256(without(claims(), 'sub'))],
    ['a malformed token', async () => 'not.a.jwt'],
    ['an RS256 token', async () => new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign((await generateKeyPair('RS256')).privateKey)],
  ];

  it.each(badTokens)('closes with 4401 for %s, sending nothing', async (_, makeToken) => {
    expect(await refusedWith(url(0, uniqueName('bad'), await makeToken()), withOrigin)).toEqual({ code: 4401, frames: [] });
  });

  it('closes with 4401 without a token', async () => {
    expect(await refusedWith(url(1, uniqueName('none')), withOrigin)).toEqual({ code: 4401, frames: [] });
  });

  it('closes with 4401 for an Authorization header that is not Bearer', async () => {
    const headers = { origin: ORIGIN, authorization: 'Basic dXNlcjpwYXNzd29yZA==' };
    expect(await refusedWith(url(0, uniqueName('basic')), { headers })).toEqual({ code: 4401, frames: [] });
  });

  it('closes with 4403 for a room the token does not list', async () => {
    const token = await hs256(claims({ rooms: ['some-other-room'] }));
    expect(await refusedWith(url(0, uniqueName('notlisted'), token), withOrigin)).toEqual({ code: 4403, frames: [] });
  });

  it('closes with 4403 for a token without a rooms claim', async () => {
    expect(await refusedWith(url(1, uniqueName('noclaim'), await hs256(without(claims(), 'rooms'))), withOrigin)).toEqual({
      code: 4403,
      frames: [],
    });
  });

  it.each([['https://evil.example.test'], ['null'], ['https://app.example.test:8443']])(
    'closes with 4403 for the origin %s even with a good token',
    async (origin) => {
      const token = await hs256(claims());
      expect(await refusedWith(url(0, uniqueName('origin'), token), { headers: { origin } })).toEqual({ code: 4403, frames: [] });
    },
  );

  it('admits the allowed origin written with another case and its default port', async () => {
    const client = await SignalingClient.join(url(0, uniqueName('canon'), await hs256(claims())), {
      headers: { origin: 'HTTPS://App.Example.test:443' },
    });
    expect(client.welcome['type']).toBe('welcome');
    client.close();
  });

  it('never writes a token to its output at LOG_LEVEL=debug', () => {
    const outputs = cluster.nodes.map((node) => node.output());
    // the refusals above were logged, so the check looks at real log lines
    expect(outputs.join('\n')).toContain('refused a token');
    for (const output of outputs) expectNoTokenIn(output);
  });
});

describe('token authentication with RS256/ES256 keys from a JWKS', () => {
  let cluster: GatewayCluster;
  let jwksServer: Server;
  let served: { keys: JWK[] };
  let jwksRequests = 0;
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
  const url = (node: number, room: string, token: string) => cluster.wsUrl(node, `room=${room}&token=${encodeURIComponent(remember(token))}`);

  const sign = (payload: JWTPayload, alg: 'RS256' | 'ES256', key: CryptoKey, kid: string) =>
    new SignJWT(payload).setProtectedHeader({ alg, kid }).sign(key);

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    served = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    jwksServer = createServer((request, response) => {
      jwksRequests++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    cluster = await startGatewayCluster(2, {
      ENABLE_AUTH: 'true',
      JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      // short, so the rotation case need not wait long; unknown kids still cost at most one fetch per second
      JWT_JWKS_COOLDOWN_MS: '1000',
      LOG_LEVEL: 'info',
    });
  });

  afterAll(async () => {
    await cluster.stop();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  it('admits RS256 and ES256 tokens on both nodes, fetching the key set once per node', async () => {
    const room = uniqueName('jwks');
    const peers = [];
    for (let i = 0; i < 3; i++) {
      peers.push(await SignalingClient.join(url(i % 2, room, await sign(claims({ sub: `rs-${i}` }), 'RS256', rsa.privateKey, 'rsa-1'))));
      peers.push(await SignalingClient.join(url((i + 1) % 2, room, await sign(claims({ sub: `ec-${i}` }), 'ES256', ec.privateKey, 'ec-1'))));
    }
    expect(peers.map((peer) => peer.welcome['type'])).toEqual(Array(6).fill('welcome'));
    expect(jwksRequests).toBe(2);
    for (const peer of peers) peer.close();
  });

  it('closes with 4401 for an HS256 token signed with the public key as the HMAC secret', async () => {
    const token = await hs256(claims(), await exportSPKI(rsa.publicKey), { kid: 'rsa-1' });
    expect(await refusedWith(url(0, uniqueName('confused'), token))).toEqual({ code: 4401, frames: [] });
  });

  it('closes with 4401 for alg none', async () => {
    expect(await refusedWith(url(1, uniqueName('none'), unsigned(claims())))).toEqual({ code: 4401, frames: [] });
  });

  it('closes with 4401 for an expired token', async () => {
    const token = await sign(claims({ exp: nowSeconds() - 120 }), 'ES256', ec.privateKey, 'ec-1');
    expect(await refusedWith(url(0, uniqueName('expired'), token))).toEqual({ code: 4401, frames: [] });
  });

  it('closes with 4401 for a token signed by a key the set does not have', async () => {
    const stranger = await generateKeyPair('RS256');
    const token = await sign(claims(), 'RS256', stranger.privateKey, 'rsa-1');
    expect(await refusedWith(url(1, uniqueName('stranger'), token))).toEqual({ code: 4401, frames: [] });
  });

  it('picks up a rotated key set for a new kid after the cooldown', async () => {
    const next = await generateKeyPair('ES256', { extractable: true });
    const token = await sign(claims({ sub: 'rotated' }), 'ES256', next.privateKey, 'ec-2');
    served = { keys: [...served.keys, { ...(await exportJWK(next.publicKey)), kid: 'ec-2', alg: 'ES256', use: 'sig' }] };
    // a node fetched less than a cooldown ago refuses the new kid (4401) until the cooldown has passed
    let welcome: Record<string, unknown> | null = null;
    for (let attempt = 0; attempt < 30 && welcome === null; attempt++) {
      const client = await SignalingClient.join(url(0, uniqueName('rotated'), token)).catch(() => null);
      if (client) {
        welcome = client.welcome;
        client.close();
      } else {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(welcome?.['type']).toBe('welcome');
  });

  it('never writes a token to its output at LOG_LEVEL=info', () => {
    for (const node of cluster.nodes) expectNoTokenIn(node.output());
  });
});

describe('REQUIRE_WSS and TRUSTED_PROXIES', () => {
  let behindProxy: AppProcess;
  let untrusting: AppProcess;
  let redis: Redis;

  beforeAll(async () => {
    [behindProxy, untrusting] = await Promise.all([
      startApp('gateway', { NODE_ID: uniqueName('proxied'), REDIS_URL: redisUrl(), REQUIRE_WSS: 'true', TRUSTED_PROXIES: '127.0.0.1,::1', SESSION_EVENTS_FLUSH_MS: '10' }),
      startApp('gateway', { NODE_ID: uniqueName('direct'), REDIS_URL: redisUrl(), REQUIRE_WSS: 'true', TRUSTED_PROXIES: '10.0.0.0/8' }),
    ]);
    redis = new Redis(redisUrl());
  });

  afterAll(async () => {
    redis.disconnect();
    await Promise.all([behindProxy.stop(), untrusting.stop()]);
  });

  const url = (app: AppProcess, room: string) => `ws://127.0.0.1:${app.port}/ws?room=${room}`;

  it('closes a plain ws connection with 4403', async () => {
    expect(await refusedWith(url(behindProxy, uniqueName('plain')))).toEqual({ code: 4403, frames: [] });
  });

  it('closes with 4403 when a trusted proxy says the client came over http', async () => {
    expect(await refusedWith(url(behindProxy, uniqueName('http')), { headers: { 'x-forwarded-proto': 'http' } })).toEqual({
      code: 4403,
      frames: [],
    });
  });

  it('ignores X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
    expect(await refusedWith(url(untrusting, uniqueName('spoofed')), { headers: { 'x-forwarded-proto': 'https' } })).toEqual({
      code: 4403,
      frames: [],
    });
  });

  it('admits a peer a trusted proxy reached over TLS, recording the client address it forwarded', async () => {
    const room = uniqueName('proxied');
    const client = await SignalingClient.join(url(behindProxy, room), {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9, 198.51.100.23' },
    });
    // the peer-joined session event carries the address; the gateway writes it to the session event streams
    let remoteAddr: unknown;
    for (let attempt = 0; attempt < 50 && remoteAddr === undefined; attempt++) {
      remoteAddr = await peerJoinedRemoteAddr(redis, client.peerId);
      if (remoteAddr === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    // the right-most hop: the left one was written by whoever connected to the proxy
    expect(remoteAddr).toBe('198.51.100.23:0');
    client.close();
  });
});

/** Finds a peer's `peer-joined` event in the session event streams (one field `b`: a JSON batch). */
async function peerJoinedRemoteAddr(redis: Redis, peerId: string): Promise<unknown> {
  for (const stream of sessionEventStreams()) {
    for (const [, fields] of await redis.xrange(stream, '-', '+')) {
      const batch = JSON.parse(fields[fields.indexOf('b') + 1]) as Array<Record<string, unknown>>;
      const event = batch.find((entry) => entry['kind'] === 'peer-joined' && entry['peer'] === peerId);
      if (event) return event['remoteAddr'];
    }
  }
  return undefined;
}

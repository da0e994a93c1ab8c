import { createHmac } from 'node:crypto';
import { buildIceServers, IceServerConfig } from './build-ice-servers';

const NOW_MS = 1_700_000_000_987;
const PEER = '3f2b9c1e-0d6a-4c57-9b1e-6f0e2d4a8c11';
const SECRET = 'a-shared-secret-of-coturn';

function config(overrides: Partial<IceServerConfig> = {}): IceServerConfig {
  return { stunUrls: [], turnUrls: [], turnTtlSeconds: 86_400, ...overrides };
}

describe(buildIceServers.name, () => {
  it('returns no servers when none are configured', () => {
    expect(buildIceServers(config(), PEER, NOW_MS)).toEqual([]);
  });

  it('returns one STUN entry with every STUN URL and no credentials', () => {
    const servers = buildIceServers(config({ stunUrls: ['stun:a.example:3478', 'stun:b.example:3478'] }), PEER, NOW_MS);

    expect(servers).toStrictEqual([{ urls: ['stun:a.example:3478', 'stun:b.example:3478'] }]);
  });

  it('gives static TURN credentials as configured', () => {
    const servers = buildIceServers(
      config({ turnUrls: ['turn:t.example:3478?transport=udp'], turnUsername: 'user', turnPassword: 'pass' }),
      PEER,
      NOW_MS,
    );

    expect(servers).toStrictEqual([{ urls: ['turn:t.example:3478?transport=udp'], username: 'user', credential: 'pass' }]);
  });

  it('lists STUN before TURN', () => {
    const servers = buildIceServers(
      config({ stunUrls: ['stun:s.example'], turnUrls: ['turn:t.example'], turnUsername: 'u', turnPassword: 'p' }),
      PEER,
      NOW_MS,
    );

    expect(servers.map((server) => server.urls)).toEqual([['stun:s.example'], ['turn:t.example']]);
  });

  it('gives TURN URLs without credentials when none are configured', () => {
    expect(buildIceServers(config({ turnUrls: ['turn:t.example'] }), PEER, NOW_MS)).toStrictEqual([{ urls: ['turn:t.example'] }]);
  });

  it('gives no TURN entry when TURN credentials exist but no TURN URL', () => {
    expect(buildIceServers(config({ turnSecret: SECRET, turnUsername: 'u', turnPassword: 'p' }), PEER, NOW_MS)).toEqual([]);
  });

  it('makes a TURN REST username of the expiry in Unix seconds and the peer id', () => {
    const [turn] = buildIceServers(config({ turnUrls: ['turn:t.example'], turnSecret: SECRET, turnTtlSeconds: 3_600 }), PEER, NOW_MS);

    expect(turn.username).toBe(`${Math.floor(NOW_MS / 1000) + 3_600}:${PEER}`);
    expect(turn.username).toBe(`1700003600:${PEER}`);
  });

  it('makes the TURN REST credential the base64 HMAC-SHA1 of the username under the secret', () => {
    const [turn] = buildIceServers(config({ turnUrls: ['turn:t.example'], turnSecret: SECRET, turnTtlSeconds: 3_600 }), PEER, NOW_MS);

    const expected = createHmac('sha1', SECRET).update(`1700003600:${PEER}`).digest('base64');
    expect(turn.credential).toBe(expected);
  });

  it('prefers time-limited credentials over static ones when a secret is set', () => {
    const [turn] = buildIceServers(
      config({ turnUrls: ['turn:t.example'], turnSecret: SECRET, turnUsername: 'static', turnPassword: 'static' }),
      PEER,
      NOW_MS,
    );

    expect(turn.username).not.toBe('static');
    expect(turn.credential).not.toBe('static');
  });

  it('gives different peers different credentials', () => {
    const ice = config({ turnUrls: ['turn:t.example'], turnSecret: SECRET });
    const [first] = buildIceServers(ice, 'peer-1', NOW_MS);
    const [second] = buildIceServers(ice, 'peer-2', NOW_MS);

    expect(first.credential).not.toBe(second.credential);
  });

  it('returns copies of the configured URL lists', () => {
    const ice = config({ stunUrls: ['stun:s.example'] });
    const [stun] = buildIceServers(ice, PEER, NOW_MS);
    (stun.urls as string[]).push('stun:injected');

    expect(ice.stunUrls).toEqual(['stun:s.example']);
  });
});

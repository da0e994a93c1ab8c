import { EnvValidationError, validateEnv } from '@sg/platform';
import { GatewayConfig, toGatewayConfig } from './gateway-config';
import { GatewayEnv } from './gateway-env';

const TURN_SECRET = 'turn-secret-value-0123456789';
const JWT_SECRET = 'jwt-hs256-secret-value-0123456789abcdef';

function configFrom(raw: NodeJS.ProcessEnv): GatewayConfig {
  return toGatewayConfig(validateEnv(GatewayEnv, raw));
}

function validationError(run: () => unknown): EnvValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvValidationError) return error;
    throw error;
  }
  throw new Error('expected an EnvValidationError');
}

describe(GatewayEnv.name, () => {
  it.each([
    ['PORT', 8080],
    ['ROOM_CAPACITY', 10],
    ['MESSAGE_MAX_BYTES', 65_536],
    ['RESUME_WINDOW_MS', 15_000],
    ['HEARTBEAT_INTERVAL_MS', 30_000],
    ['ENABLE_AUTH', false],
  ] as const)('defaults %s as PROTOCOL says', (key, expected) => {
    expect(validateEnv(GatewayEnv, {})[key]).toBe(expected);
  });

  it('defaults NODE_TTL_MS to at least twice NODE_HEARTBEAT_INTERVAL_MS', () => {
    const env = validateEnv(GatewayEnv, {});

    expect(env.NODE_TTL_MS).toBeGreaterThanOrEqual(2 * env.NODE_HEARTBEAT_INTERVAL_MS);
  });

  it('defaults to no STUN, TURN or origin restriction', () => {
    expect(validateEnv(GatewayEnv, {})).toMatchObject({ STUN_URLS: [], TURN_URLS: [], ALLOWED_ORIGINS: [] });
  });

  it('parses STUN_URLS as a comma-separated list', () => {
    expect(validateEnv(GatewayEnv, { STUN_URLS: 'stun:stun.l.google.com:19302, stuns:stun.example.com:5349' }).STUN_URLS).toEqual([
      'stun:stun.l.google.com:19302',
      'stuns:stun.example.com:5349',
    ]);
  });

  it('refuses a STUN_URLS entry that is not a stun: URL, naming STUN_URLS', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { STUN_URLS: 'stun:ok.example, https://stun.example' })).problems).toEqual([
      'STUN_URLS: must be a comma-separated list of stun: or stuns: URLs',
    ]);
  });

  it('parses TURN_URLS with query parameters', () => {
    expect(validateEnv(GatewayEnv, { TURN_URLS: 'turn:t.example:3478?transport=udp,turns:t.example:5349' }).TURN_URLS).toEqual([
      'turn:t.example:3478?transport=udp',
      'turns:t.example:5349',
    ]);
  });

  it('parses ALLOWED_ORIGINS', () => {
    expect(validateEnv(GatewayEnv, { ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:3000' }).ALLOWED_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
  });

  it('refuses an ALLOWED_ORIGINS entry with a path', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { ALLOWED_ORIGINS: 'https://app.example.com/' })).problems[0]).toMatch(
      /^ALLOWED_ORIGINS: /,
    );
  });

  it('refuses PORT=abc naming PORT', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { PORT: 'abc' })).problems).toEqual(['PORT: must be an integer from 1 to 65535']);
  });

  it('maps RESUME_BUFFER_MAX_MESSAGES and DRAIN_TIMEOUT_MS', () => {
    expect(configFrom({ RESUME_BUFFER_MAX_MESSAGES: '32', DRAIN_TIMEOUT_MS: '2500' }).resume).toEqual({ bufferMaxMessages: 32, drainTimeoutMs: 2_500 });
  });

  it.each(['DRAIN_TIMEOUT_MS', 'RESUME_BUFFER_MAX_MESSAGES'])('refuses a %s that is not a whole number, naming it', (key) => {
    expect(validationError(() => validateEnv(GatewayEnv, { [key]: '1.5' })).problems).toEqual([expect.stringMatching(new RegExp(`^${key}: `))]);
  });

  it('refuses a DRAIN_TIMEOUT_MS over ten minutes', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { DRAIN_TIMEOUT_MS: '600001' })).problems[0]).toMatch(/^DRAIN_TIMEOUT_MS: /);
  });

  it('refuses PORT=0 naming PORT', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { PORT: '0' })).problems).toEqual(['PORT: must be an integer from 1 to 65535']);
  });

  it('refuses a ROOM_CAPACITY of 0 naming ROOM_CAPACITY', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { ROOM_CAPACITY: '0' })).problems).toEqual([
      'ROOM_CAPACITY: must be an integer from 1 to 10000',
    ]);
  });

  it('refuses ENABLE_AUTH=true without a key source, naming JWT_SECRET and JWT_JWKS_URL', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { ENABLE_AUTH: 'true' })).problems).toEqual([
      'JWT_SECRET: is required when ENABLE_AUTH=true, unless JWT_JWKS_URL is set',
    ]);
  });

  it('accepts ENABLE_AUTH=true with a JWKS URL and no secret', () => {
    expect(validateEnv(GatewayEnv, { ENABLE_AUTH: 'true', JWT_JWKS_URL: 'https://id.example.test/jwks.json' }).ENABLE_AUTH).toBe(true);
  });

  it('refuses a JWT_SECRET under 32 characters without printing it', () => {
    const error = validationError(() => validateEnv(GatewayEnv, { ENABLE_AUTH: 'true', JWT_SECRET: 'short-hs256-secret' }));

    expect(error.problems).toEqual(['JWT_SECRET: must be at least 32 characters']);
    expect(error.message).not.toContain('short-hs256-secret');
  });

  it('refuses a JWT_JWKS_URL that is not an http(s) URL', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { JWT_JWKS_URL: 'file:///etc/keys' })).problems).toEqual([
      'JWT_JWKS_URL: must be an http:// or https:// URL',
    ]);
  });

  it('refuses an algorithm outside the pinnable ones, such as none', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { JWT_ALGORITHMS: 'RS256,none' })).problems).toEqual([
      'JWT_ALGORITHMS: must be a comma-separated list of HS256, RS256, ES256',
    ]);
  });

  it('parses TRUSTED_PROXIES with IPv4 and IPv6 addresses and ranges', () => {
    expect(validateEnv(GatewayEnv, { TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1,fd00::/8,::1' }).TRUSTED_PROXIES).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      'fd00::/8',
      '::1',
    ]);
  });

  it.each(['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/8'])('refuses the TRUSTED_PROXIES entry %s', (entry) => {
    expect(validationError(() => validateEnv(GatewayEnv, { TRUSTED_PROXIES: `10.0.0.1,${entry}` })).problems).toEqual([
      'TRUSTED_PROXIES: must be a comma-separated list of IP addresses or CIDR ranges',
    ]);
  });

  it('refuses a REQUIRE_WSS that is not a boolean', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { REQUIRE_WSS: 'on' })).problems).toEqual(['REQUIRE_WSS: must be true or false']);
  });

  it('accepts ENABLE_AUTH=false', () => {
    expect(validateEnv(GatewayEnv, { ENABLE_AUTH: 'false' }).ENABLE_AUTH).toBe(false);
  });

  it('refuses an ENABLE_AUTH that is not a boolean', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { ENABLE_AUTH: 'yes' })).problems[0]).toMatch(/^ENABLE_AUTH: .*must be true or false/);
  });

  it('refuses a short TURN_SECRET without printing it', () => {
    const error = validationError(() => validateEnv(GatewayEnv, { TURN_URLS: 'turn:t.example', TURN_SECRET: 'tiny-secret-9' }));

    expect(error.problems).toEqual(['TURN_SECRET: must be at least 16 characters']);
    expect(error.message).not.toContain('tiny-secret-9');
  });
});

describe('GatewayEnv limits', () => {
  it('maps the rate limits, the connection cap and the HTTP deadlines', () => {
    const config = configFrom({
      RATE_LIMIT_CONN_PER_10S: '7',
      RATE_LIMIT_PEER_MSGS_PER_10S: '0',
      RATE_LIMIT_IP_MSGS_PER_10S: '300',
      RATE_LIMIT_ROOM_MSGS_PER_10S: '400',
      MAX_CONNECTIONS: '2',
      BACKPRESSURE_THRESHOLD_BYTES: '65536',
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '4000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
    });

    expect(config.rateLimits).toEqual({ connectionsPerIp: 7, messagesPerPeer: 0, messagesPerIp: 300, messagesPerRoom: 400 });
    expect(config.limits).toEqual({ messageMaxBytes: 65_536, backpressureThresholdBytes: 65_536, maxConnections: 2 });
    expect(config.httpTimeouts).toEqual({ headersMs: 2_000, requestMs: 4_000, keepAliveMs: 1_000 });
  });

  it('refuses a negative rate limit naming the variable', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { RATE_LIMIT_ROOM_MSGS_PER_10S: '-1' })).problems).toEqual([
      'RATE_LIMIT_ROOM_MSGS_PER_10S: must be an integer from 0 to 1000000000',
    ]);
  });

  it('refuses a backpressure threshold under 64 KiB', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { BACKPRESSURE_THRESHOLD_BYTES: '1000' })).problems[0]).toMatch(
      /^BACKPRESSURE_THRESHOLD_BYTES: /,
    );
  });

  it('refuses a headers deadline longer than the request deadline', () => {
    expect(validationError(() => configFrom({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' })).problems).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS, which bounds the headers too',
    ]);
  });
});

describe(toGatewayConfig.name, () => {
  it('takes LOG_FORMAT as given, and refuses any other value naming it', () => {
    expect(configFrom({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(configFrom({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(validationError(() => configFrom({ LOG_FORMAT: 'yaml' })).message).toContain('LOG_FORMAT');
  });

  it('maps the defaults to the typed config', () => {
    const config = configFrom({ NODE_ID: 'gw-1' });

    expect(config).toBeInstanceOf(GatewayConfig);
    expect({ ...config }).toEqual({
      nodeId: 'gw-1',
      http: { host: '0.0.0.0', port: 8080 },
      redis: { mode: 'single', url: 'redis://127.0.0.1:6379' },
      logLevel: 'info',
      // unset LOG_FORMAT: readable lines for a person at a terminal, JSON otherwise
      logFormat: process.stdout.isTTY ? 'pretty' : 'json',
      admission: { roomCapacity: 10, allowedOrigins: [] },
      limits: { messageMaxBytes: 65_536, backpressureThresholdBytes: 1_048_576, maxConnections: 10_000 },
      rateLimits: { connectionsPerIp: 100, messagesPerPeer: 2_000, messagesPerIp: 5_000, messagesPerRoom: 5_000 },
      httpTimeouts: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 },
      timing: { resumeWindowMs: 15_000, heartbeatIntervalMs: 30_000, nodeHeartbeatIntervalMs: 1_000, nodeTtlMs: 3_000 },
      resume: { bufferMaxMessages: 256, drainTimeoutMs: 10_000 },
      ice: {
        stunUrls: [],
        turnUrls: [],
        turnUsername: undefined,
        turnPassword: undefined,
        turnSecret: undefined,
        turnTtlSeconds: 86_400,
      },
      sessionEvents: { streamMaxLen: 100_000, flushIntervalMs: 100 },
      auth: {
        enabled: false,
        secret: undefined,
        jwksUrl: undefined,
        jwksCooldownMs: 30_000,
        algorithms: ['HS256'],
        issuer: undefined,
        audience: undefined,
        roomsClaim: 'rooms',
        clockToleranceSeconds: 30,
      },
      transport: { trustedProxies: [], requireWss: false },
      probe: { enabled: true, maxConcurrent: 20, maxSeconds: 30, iceAddress: undefined },
      tracing: null,
    });
  });

  it('maps the probe settings, and refuses a PROBE_ICE_ADDRESS that is not one IPv4 address', () => {
    const config = configFrom({ PROBE_ENABLED: 'false', PROBE_MAX_CONCURRENT: '3', PROBE_MAX_SECONDS: '5', PROBE_ICE_ADDRESS: '127.0.0.1' });

    expect(config.probe).toEqual({ enabled: false, maxConcurrent: 3, maxSeconds: 5, iceAddress: '127.0.0.1' });
    for (const bad of ['0.0.0.0/0', 'localhost', '::1', '127.0.0.1,10.0.0.1']) {
      expect(validationError(() => configFrom({ PROBE_ICE_ADDRESS: bad })).message).toContain('PROBE_ICE_ADDRESS');
    }
    expect(validationError(() => configFrom({ PROBE_MAX_CONCURRENT: '0' })).message).toContain('PROBE_MAX_CONCURRENT');
  });

  it('maps HS256 token authentication', () => {
    const config = configFrom({
      ENABLE_AUTH: 'true',
      JWT_SECRET,
      JWT_ISSUER: 'https://id.example.test',
      JWT_AUDIENCE: 'signaling',
      JWT_ROOMS_CLAIM: 'https://example.test/rooms',
      JWT_CLOCK_TOLERANCE_SECONDS: '5',
    });

    expect(config.auth).toEqual({
      enabled: true,
      secret: JWT_SECRET,
      jwksUrl: undefined,
      jwksCooldownMs: 30_000,
      algorithms: ['HS256'],
      issuer: 'https://id.example.test',
      audience: 'signaling',
      roomsClaim: 'https://example.test/rooms',
      clockToleranceSeconds: 5,
    });
  });

  it('pins RS256 and ES256 for a JWKS unless JWT_ALGORITHMS narrows them', () => {
    const jwks = { ENABLE_AUTH: 'true', JWT_JWKS_URL: 'https://id.example.test/jwks.json', JWT_JWKS_COOLDOWN_MS: '1000' };

    expect([configFrom(jwks).auth.algorithms, configFrom({ ...jwks, JWT_ALGORITHMS: 'ES256' }).auth.algorithms]).toEqual([
      ['RS256', 'ES256'],
      ['ES256'],
    ]);
    expect(configFrom(jwks).auth).toMatchObject({ jwksUrl: 'https://id.example.test/jwks.json', jwksCooldownMs: 1_000, secret: undefined });
  });

  it('refuses both JWT_SECRET and JWT_JWKS_URL, naming JWT_SECRET', () => {
    expect(validationError(() => configFrom({ ENABLE_AUTH: 'true', JWT_SECRET, JWT_JWKS_URL: 'https://id.example.test/jwks' })).problems).toEqual([
      'JWT_SECRET: set JWT_SECRET (HS256) or JWT_JWKS_URL (RS256/ES256), not both',
    ]);
  });

  it.each([
    [{ JWT_SECRET, JWT_ALGORITHMS: 'HS256,RS256' }],
    [{ JWT_JWKS_URL: 'https://id.example.test/jwks', JWT_ALGORITHMS: 'RS256,HS256' }],
  ])('refuses an algorithm list that mixes HMAC and public keys: %j', (env) => {
    expect(validationError(() => configFrom({ ENABLE_AUTH: 'true', ...env })).problems).toEqual([
      'JWT_ALGORITHMS: HS256 goes with JWT_SECRET only, RS256 and ES256 with JWT_JWKS_URL only',
    ]);
  });

  it('maps TRUSTED_PROXIES and REQUIRE_WSS', () => {
    expect(configFrom({ TRUSTED_PROXIES: '172.28.0.0/16', REQUIRE_WSS: 'true' }).transport).toEqual({
      trustedProxies: ['172.28.0.0/16'],
      requireWss: true,
    });
  });

  it('carries STUN_URLS into the ICE config', () => {
    expect(configFrom({ STUN_URLS: 'stun:a.example,stun:b.example' }).ice.stunUrls).toEqual(['stun:a.example', 'stun:b.example']);
  });

  it('carries static TURN credentials into the ICE config', () => {
    const config = configFrom({ TURN_URLS: 'turn:t.example', TURN_USERNAME: 'user', TURN_PASSWORD: 'pass' });

    expect(config.ice).toMatchObject({ turnUrls: ['turn:t.example'], turnUsername: 'user', turnPassword: 'pass' });
  });

  it('carries the TURN secret and TTL into the ICE config', () => {
    const config = configFrom({ TURN_URLS: 'turn:t.example', TURN_SECRET, TURN_TTL_SECONDS: '600' });

    expect(config.ice).toMatchObject({ turnSecret: TURN_SECRET, turnTtlSeconds: 600 });
  });

  it('refuses TURN_USERNAME without TURN_PASSWORD, naming TURN_USERNAME', () => {
    expect(validationError(() => configFrom({ TURN_URLS: 'turn:t.example', TURN_USERNAME: 'user' })).problems).toEqual([
      'TURN_USERNAME: TURN_USERNAME and TURN_PASSWORD must be set together',
    ]);
  });

  it('refuses TURN_PASSWORD without TURN_USERNAME', () => {
    expect(validationError(() => configFrom({ TURN_URLS: 'turn:t.example', TURN_PASSWORD: 'pass' })).problems).toEqual([
      'TURN_USERNAME: TURN_USERNAME and TURN_PASSWORD must be set together',
    ]);
  });

  it('refuses TURN credentials without TURN_URLS', () => {
    expect(validationError(() => configFrom({ TURN_USERNAME: 'user', TURN_PASSWORD: 'pass' })).problems).toEqual([
      'TURN_URLS: must be set when TURN credentials are configured',
    ]);
  });

  it('refuses a TURN_SECRET without TURN_URLS and never prints the secret', () => {
    const error = validationError(() => configFrom({ TURN_SECRET }));

    expect(error.problems).toEqual(['TURN_URLS: must be set when TURN credentials are configured']);
    expect(error.message).not.toContain(TURN_SECRET);
  });

  it('refuses NODE_TTL_MS below twice NODE_HEARTBEAT_INTERVAL_MS, naming NODE_TTL_MS', () => {
    const problems = validationError(() => configFrom({ NODE_HEARTBEAT_INTERVAL_MS: '1000', NODE_TTL_MS: '1999' })).problems;

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^NODE_TTL_MS: must be at least twice NODE_HEARTBEAT_INTERVAL_MS/);
  });

  it('accepts NODE_TTL_MS of exactly twice NODE_HEARTBEAT_INTERVAL_MS', () => {
    expect(configFrom({ NODE_HEARTBEAT_INTERVAL_MS: '1000', NODE_TTL_MS: '2000' }).timing.nodeTtlMs).toBe(2_000);
  });

  it('names every cross-variable problem at once', () => {
    const problems = validationError(() => configFrom({ NODE_TTL_MS: '1000', TURN_USERNAME: 'user' })).problems;

    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['NODE_TTL_MS', 'TURN_USERNAME', 'TURN_URLS']);
  });
});

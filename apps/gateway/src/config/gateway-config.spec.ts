import { EnvValidationError, validateEnv } from '@sg/platform';
import { GatewayConfig, toGatewayConfig } from './gateway-config';
import { GatewayEnv } from './gateway-env';

const TURN_SECRET = 'turn-secret-value-0123456789';

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

  it('refuses PORT=0 naming PORT', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { PORT: '0' })).problems).toEqual(['PORT: must be an integer from 1 to 65535']);
  });

  it('refuses a ROOM_CAPACITY of 0 naming ROOM_CAPACITY', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { ROOM_CAPACITY: '0' })).problems).toEqual([
      'ROOM_CAPACITY: must be an integer from 1 to 10000',
    ]);
  });

  it('refuses ENABLE_AUTH=true with a clear message', () => {
    expect(validationError(() => validateEnv(GatewayEnv, { ENABLE_AUTH: 'true' })).problems).toEqual([
      'ENABLE_AUTH: token authentication is not available in this build; unset it or set it to false',
    ]);
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

describe(toGatewayConfig.name, () => {
  it('maps the defaults to the typed config', () => {
    const config = configFrom({ NODE_ID: 'gw-1' });

    expect(config).toBeInstanceOf(GatewayConfig);
    expect({ ...config }).toEqual({
      nodeId: 'gw-1',
      http: { host: '0.0.0.0', port: 8080 },
      redisUrl: 'redis://127.0.0.1:6379',
      logLevel: 'info',
      admission: { roomCapacity: 10, allowedOrigins: [] },
      limits: { messageMaxBytes: 65_536, sendBufferMaxBytes: 1_048_576 },
      timing: { resumeWindowMs: 15_000, heartbeatIntervalMs: 30_000, nodeHeartbeatIntervalMs: 1_000, nodeTtlMs: 3_000 },
      ice: {
        stunUrls: [],
        turnUrls: [],
        turnUsername: undefined,
        turnPassword: undefined,
        turnSecret: undefined,
        turnTtlSeconds: 86_400,
      },
      sessionEvents: { streamMaxLen: 100_000, flushIntervalMs: 100 },
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

import { CommonConfig, EnvValidationError, TracingConfig, tracingConfig } from '@sg/platform';
import type { IceServerConfig } from '@sg/room';
import type { AuthConfig, JwtAlgorithm } from '../auth/auth-config';
import type { GatewayEnv } from './gateway-env';

/** The gateway's typed configuration; services inject this, never the environment. */
export class GatewayConfig extends CommonConfig {
  readonly admission: { roomCapacity: number; allowedOrigins: readonly string[] };
  readonly limits: {
    messageMaxBytes: number;
    backpressureThresholdBytes: number;
    /** WebSockets per node; 0 = no cap. */
    maxConnections: number;
  };
  /** Per 10 s across all nodes (the per-peer one per socket); 0 turns one off. */
  readonly rateLimits: { connectionsPerIp: number; messagesPerPeer: number; messagesPerIp: number; messagesPerRoom: number };
  readonly httpTimeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  readonly timing: { resumeWindowMs: number; heartbeatIntervalMs: number; nodeHeartbeatIntervalMs: number; nodeTtlMs: number };
  /** Resume (PROTOCOL section 1) and drain (section 4). */
  readonly resume: { bufferMaxMessages: number; drainTimeoutMs: number };
  readonly ice: IceServerConfig;
  readonly sessionEvents: { streamMaxLen: number; flushIntervalMs: number };
  readonly auth: AuthConfig;
  /** How the peer reached us: which proxies' X-Forwarded-* headers count, and whether plain ws is refused. */
  readonly transport: { trustedProxies: readonly string[]; requireWss: boolean };
  /** The probe peer (PROTOCOL section 1); `iceAddress` undefined: every interface of the node. */
  readonly probe: { enabled: boolean; maxConcurrent: number; maxSeconds: number; iceAddress: string | undefined };
  /** Spans of each session's negotiation (docs/operations.md, "Tracing"); null: tracing is off. */
  readonly tracing: TracingConfig | null;

  constructor(env: GatewayEnv) {
    super(env);
    this.tracing = tracingConfig(env);
    this.admission = { roomCapacity: env.ROOM_CAPACITY, allowedOrigins: env.ALLOWED_ORIGINS };
    this.limits = {
      messageMaxBytes: env.MESSAGE_MAX_BYTES,
      backpressureThresholdBytes: env.BACKPRESSURE_THRESHOLD_BYTES,
      maxConnections: env.MAX_CONNECTIONS,
    };
    this.rateLimits = {
      connectionsPerIp: env.RATE_LIMIT_CONN_PER_10S,
      messagesPerPeer: env.RATE_LIMIT_PEER_MSGS_PER_10S,
      messagesPerIp: env.RATE_LIMIT_IP_MSGS_PER_10S,
      messagesPerRoom: env.RATE_LIMIT_ROOM_MSGS_PER_10S,
    };
    this.httpTimeouts = {
      headersMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    };
    this.timing = {
      resumeWindowMs: env.RESUME_WINDOW_MS,
      heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_MS,
      nodeHeartbeatIntervalMs: env.NODE_HEARTBEAT_INTERVAL_MS,
      nodeTtlMs: env.NODE_TTL_MS,
    };
    this.resume = { bufferMaxMessages: env.RESUME_BUFFER_MAX_MESSAGES, drainTimeoutMs: env.DRAIN_TIMEOUT_MS };
    this.ice = {
      stunUrls: env.STUN_URLS,
      turnUrls: env.TURN_URLS,
      turnUsername: env.TURN_USERNAME,
      turnPassword: env.TURN_PASSWORD,
      turnSecret: env.TURN_SECRET,
      turnTtlSeconds: env.TURN_TTL_SECONDS,
    };
    this.sessionEvents = { streamMaxLen: env.SESSION_EVENTS_MAXLEN, flushIntervalMs: env.SESSION_EVENTS_FLUSH_MS };
    this.auth = {
      enabled: env.ENABLE_AUTH,
      secret: env.JWT_SECRET,
      jwksUrl: env.JWT_JWKS_URL,
      jwksCooldownMs: env.JWT_JWKS_COOLDOWN_MS,
      algorithms: jwtAlgorithms(env),
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      roomsClaim: env.JWT_ROOMS_CLAIM,
      clockToleranceSeconds: env.JWT_CLOCK_TOLERANCE_SECONDS,
    };
    this.transport = { trustedProxies: env.TRUSTED_PROXIES, requireWss: env.REQUIRE_WSS };
    this.probe = {
      enabled: env.PROBE_ENABLED,
      maxConcurrent: env.PROBE_MAX_CONCURRENT,
      maxSeconds: env.PROBE_MAX_SECONDS,
      iceAddress: env.PROBE_ICE_ADDRESS,
    };
  }
}

/** The pinned `alg` list: JWT_ALGORITHMS, else what the key source implies (HS256 for a secret, RS256 and ES256 for a JWKS). */
function jwtAlgorithms(env: GatewayEnv): JwtAlgorithm[] {
  if (env.JWT_ALGORITHMS.length > 0) return env.JWT_ALGORITHMS as JwtAlgorithm[];
  return env.JWT_JWKS_URL !== undefined ? ['RS256', 'ES256'] : ['HS256'];
}

/** An HMAC algorithm next to public-key ones is the HS/RS confusion attack: one key kind per deployment. */
function authProblems(env: GatewayEnv): string[] {
  if (!env.ENABLE_AUTH) return [];
  if (env.JWT_SECRET !== undefined && env.JWT_JWKS_URL !== undefined) {
    return ['JWT_SECRET: set JWT_SECRET (HS256) or JWT_JWKS_URL (RS256/ES256), not both'];
  }
  const hmac = env.JWT_SECRET !== undefined;
  const wrong = env.JWT_ALGORITHMS.filter((alg) => (alg === 'HS256') !== hmac);
  if (wrong.length > 0) return ['JWT_ALGORITHMS: HS256 goes with JWT_SECRET only, RS256 and ES256 with JWT_JWKS_URL only'];
  return [];
}

/** Maps the validated flat environment; checks the rules that span variables. */
export function toGatewayConfig(env: GatewayEnv): GatewayConfig {
  const problems: string[] = [];
  if (env.NODE_TTL_MS < 2 * env.NODE_HEARTBEAT_INTERVAL_MS) {
    problems.push('NODE_TTL_MS: must be at least twice NODE_HEARTBEAT_INTERVAL_MS, or one late beat declares the node dead');
  }
  if ((env.TURN_USERNAME === undefined) !== (env.TURN_PASSWORD === undefined)) {
    problems.push('TURN_USERNAME: TURN_USERNAME and TURN_PASSWORD must be set together');
  }
  if ((env.TURN_SECRET !== undefined || env.TURN_USERNAME !== undefined) && env.TURN_URLS.length === 0) {
    problems.push('TURN_URLS: must be set when TURN credentials are configured');
  }
  problems.push(...authProblems(env));
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS, which bounds the headers too');
  }
  if (problems.length > 0) throw new EnvValidationError(problems);
  return new GatewayConfig(env);
}

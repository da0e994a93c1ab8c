import { CommonConfig, EnvValidationError } from '@sg/platform';
import type { IceServerConfig } from '@sg/room';
import type { GatewayEnv } from './gateway-env';

/** The gateway's typed configuration; services inject this, never the environment. */
export class GatewayConfig extends CommonConfig {
  readonly admission: { roomCapacity: number; allowedOrigins: readonly string[] };
  readonly limits: { messageMaxBytes: number; sendBufferMaxBytes: number };
  readonly timing: { resumeWindowMs: number; heartbeatIntervalMs: number; nodeHeartbeatIntervalMs: number; nodeTtlMs: number };
  readonly ice: IceServerConfig;
  readonly sessionEvents: { streamMaxLen: number; flushIntervalMs: number };

  constructor(env: GatewayEnv) {
    super(env);
    this.admission = { roomCapacity: env.ROOM_CAPACITY, allowedOrigins: env.ALLOWED_ORIGINS };
    this.limits = { messageMaxBytes: env.MESSAGE_MAX_BYTES, sendBufferMaxBytes: env.SEND_BUFFER_MAX_BYTES };
    this.timing = {
      resumeWindowMs: env.RESUME_WINDOW_MS,
      heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_MS,
      nodeHeartbeatIntervalMs: env.NODE_HEARTBEAT_INTERVAL_MS,
      nodeTtlMs: env.NODE_TTL_MS,
    };
    this.ice = {
      stunUrls: env.STUN_URLS,
      turnUrls: env.TURN_URLS,
      turnUsername: env.TURN_USERNAME,
      turnPassword: env.TURN_PASSWORD,
      turnSecret: env.TURN_SECRET,
      turnTtlSeconds: env.TURN_TTL_SECONDS,
    };
    this.sessionEvents = { streamMaxLen: env.SESSION_EVENTS_MAXLEN, flushIntervalMs: env.SESSION_EVENTS_FLUSH_MS };
  }
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
  if (problems.length > 0) throw new EnvValidationError(problems);
  return new GatewayConfig(env);
}

import { CommonEnv, IntegerIn, ToBoolean, ToList, withTracingEnv } from '@sg/platform';
import { IsArray, IsBoolean, IsDefined, IsIn, IsIP, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateBy, ValidateIf } from 'class-validator';
import { JWT_ALGORITHMS } from '../auth/auth-config';
import { TrustedProxies } from '../auth/trusted-proxies';

const STUN_URL = /^stuns?:[^\s,]+$/;
const TURN_URL = /^turns?:[^\s,]+$/;
const ORIGIN = /^(https?:\/\/[^\s/,]+|null)$/i;

/** The gateway's environment (PROTOCOL sections 1, 2 and 4; docs/configuration.md). */
export class GatewayEnv extends withTracingEnv(CommonEnv, 'gateway') {
  override PORT: number = 8080;

  @IntegerIn(1, 10_000)
  ROOM_CAPACITY: number = 10;

  @IntegerIn(1_024, 16_777_216)
  MESSAGE_MAX_BYTES: number = 65_536;

  @IntegerIn(0, 3_600_000)
  RESUME_WINDOW_MS: number = 15_000;

  // frames kept per lost peer until it resumes; each is at most MESSAGE_MAX_BYTES
  @IntegerIn(0, 10_000)
  RESUME_BUFFER_MAX_MESSAGES: number = 256;

  // SIGTERM: clients are closed with 1001 spread over the first half, then stragglers are cut
  @IntegerIn(0, 600_000)
  DRAIN_TIMEOUT_MS: number = 10_000;

  @IntegerIn(1_000, 3_600_000)
  HEARTBEAT_INTERVAL_MS: number = 30_000;

  @IntegerIn(100, 60_000)
  NODE_HEARTBEAT_INTERVAL_MS: number = 1_000;

  @IntegerIn(300, 300_000)
  NODE_TTL_MS: number = 3_000;

  @IntegerIn(65_536, 268_435_456)
  BACKPRESSURE_THRESHOLD_BYTES: number = 1_048_576;

  // Limits (PROTOCOL sections 1 and 4, docs/operations.md "Limits"): 0 turns one off.
  @IntegerIn(0, 1_000_000_000)
  RATE_LIMIT_CONN_PER_10S: number = 100;

  @IntegerIn(0, 1_000_000_000)
  RATE_LIMIT_PEER_MSGS_PER_10S: number = 2_000;

  @IntegerIn(0, 1_000_000_000)
  RATE_LIMIT_IP_MSGS_PER_10S: number = 5_000;

  @IntegerIn(0, 1_000_000_000)
  RATE_LIMIT_ROOM_MSGS_PER_10S: number = 5_000;

  @IntegerIn(0, 10_000_000)
  MAX_CONNECTIONS: number = 10_000;

  @IntegerIn(1_000, 600_000)
  HTTP_HEADERS_TIMEOUT_MS: number = 10_000;

  @IntegerIn(1_000, 3_600_000)
  HTTP_REQUEST_TIMEOUT_MS: number = 30_000;

  @IntegerIn(1_000, 600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 5_000;

  @ToList()
  @IsArray()
  @Matches(STUN_URL, { each: true, message: 'must be a comma-separated list of stun: or stuns: URLs' })
  STUN_URLS: string[] = [];

  @ToList()
  @IsArray()
  @Matches(TURN_URL, { each: true, message: 'must be a comma-separated list of turn: or turns: URLs' })
  TURN_URLS: string[] = [];

  @IsOptional()
  @IsString()
  @MaxLength(256)
  TURN_USERNAME?: string = undefined;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  TURN_PASSWORD?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  TURN_SECRET?: string = undefined;

  @IntegerIn(60, 604_800)
  TURN_TTL_SECONDS: number = 86_400;

  @ToList()
  @IsArray()
  @Matches(ORIGIN, { each: true, message: 'must be a comma-separated list of origins like https://app.example.com' })
  ALLOWED_ORIGINS: string[] = [];

  @IntegerIn(1_000, 100_000_000)
  SESSION_EVENTS_MAXLEN: number = 100_000;

  @IntegerIn(1, 1_000)
  SESSION_EVENTS_FLUSH_MS: number = 100;

  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  ENABLE_AUTH: boolean = false;

  // checked whenever set, and required when auth is on without a JWKS (toGatewayConfig refuses both at once)
  @ValidateIf((env: GatewayEnv) => env.JWT_SECRET !== undefined || (env.ENABLE_AUTH === true && env.JWT_JWKS_URL === undefined))
  @IsDefined({ message: 'is required when ENABLE_AUTH=true, unless JWT_JWKS_URL is set' })
  @IsString()
  // HS256 is as strong as its key: at least the 256 bits of its output
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string = undefined;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
  JWT_JWKS_URL?: string = undefined;

  @ToList()
  @IsArray()
  @IsIn(JWT_ALGORITHMS, { each: true, message: `must be a comma-separated list of ${JWT_ALGORITHMS.join(', ')}` })
  JWT_ALGORITHMS: string[] = [];

  @IsOptional()
  @IsString()
  @MaxLength(1_024)
  JWT_ISSUER?: string = undefined;

  @IsOptional()
  @IsString()
  @MaxLength(1_024)
  JWT_AUDIENCE?: string = undefined;

  @Matches(/^\S{1,256}$/, { message: 'must be a claim name without spaces' })
  JWT_ROOMS_CLAIM: string = 'rooms';

  @IntegerIn(0, 300)
  JWT_CLOCK_TOLERANCE_SECONDS: number = 30;

  @IntegerIn(0, 3_600_000)
  JWT_JWKS_COOLDOWN_MS: number = 30_000;

  @ToList()
  @IsArray()
  @ValidateBy(
    { name: 'isTrustedProxy', validator: { validate: (value: unknown) => typeof value === 'string' && TrustedProxies.isValidEntry(value) } },
    { each: true, message: 'must be a comma-separated list of IP addresses or CIDR ranges' },
  )
  TRUSTED_PROXIES: string[] = [];

  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  REQUIRE_WSS: boolean = false;

  // The probe peer (PROTOCOL section 1): the node's own WebRTC peer a client can test its reachability with.
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  PROBE_ENABLED: boolean = true;

  @IntegerIn(1, 1_000)
  PROBE_MAX_CONCURRENT: number = 20;

  @IntegerIn(1, 3_600)
  PROBE_MAX_SECONDS: number = 30;

  @IsOptional()
  @IsIP(4, { message: 'must be one IPv4 address of this node, e.g. 10.0.0.5' })
  PROBE_ICE_ADDRESS?: string = undefined;
}

import { CommonEnv, IntegerIn, ToBoolean, ToList } from '@sg/platform';
import { IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const STUN_URL = /^stuns?:[^\s,]+$/;
const TURN_URL = /^turns?:[^\s,]+$/;
const ORIGIN = /^(https?:\/\/[^\s/,]+|null)$/;

/** The gateway's environment (PROTOCOL sections 1, 2 and 4; docs/configuration.md). */
export class GatewayEnv extends CommonEnv {
  override PORT: number = 8080;

  @IntegerIn(1, 10_000)
  ROOM_CAPACITY: number = 10;

  @IntegerIn(1_024, 16_777_216)
  MESSAGE_MAX_BYTES: number = 65_536;

  @IntegerIn(0, 3_600_000)
  RESUME_WINDOW_MS: number = 15_000;

  @IntegerIn(1_000, 3_600_000)
  HEARTBEAT_INTERVAL_MS: number = 30_000;

  @IntegerIn(100, 60_000)
  NODE_HEARTBEAT_INTERVAL_MS: number = 1_000;

  @IntegerIn(300, 300_000)
  NODE_TTL_MS: number = 3_000;

  @IntegerIn(65_536, 268_435_456)
  SEND_BUFFER_MAX_BYTES: number = 1_048_576;

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

  // Token authentication is not in this build: refuse to start rather than run open.
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  @IsIn([false], { message: 'token authentication is not available in this build; unset it or set it to false' })
  ENABLE_AUTH: boolean = false;
}

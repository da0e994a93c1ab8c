import { CommonEnv, ToBoolean, ToInt, ToList } from '@sg/platform';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const STUN_URL = /^stuns?:[^\s,]+$/;
const TURN_URL = /^turns?:[^\s,]+$/;
const ORIGIN = /^(https?:\/\/[^\s/,]+|null)$/;

/** The gateway's environment (PROTOCOL sections 1, 2 and 4; docs/configuration.md). */
export class GatewayEnv extends CommonEnv {
  override PORT: number = 8080;

  @ToInt()
  @IsInt()
  @Min(1, { message: 'must be an integer from 1 to 10000' })
  @Max(10_000, { message: 'must be an integer from 1 to 10000' })
  ROOM_CAPACITY: number = 10;

  @ToInt()
  @IsInt()
  @Min(1_024, { message: 'must be an integer from 1024 to 16777216' })
  @Max(16_777_216, { message: 'must be an integer from 1024 to 16777216' })
  MESSAGE_MAX_BYTES: number = 65_536;

  @ToInt()
  @IsInt()
  @Min(0, { message: 'must be an integer from 0 to 3600000' })
  @Max(3_600_000, { message: 'must be an integer from 0 to 3600000' })
  RESUME_WINDOW_MS: number = 15_000;

  @ToInt()
  @IsInt()
  @Min(1_000, { message: 'must be an integer from 1000 to 3600000' })
  @Max(3_600_000, { message: 'must be an integer from 1000 to 3600000' })
  HEARTBEAT_INTERVAL_MS: number = 30_000;

  @ToInt()
  @IsInt()
  @Min(100, { message: 'must be an integer from 100 to 60000' })
  @Max(60_000, { message: 'must be an integer from 100 to 60000' })
  NODE_HEARTBEAT_INTERVAL_MS: number = 1_000;

  @ToInt()
  @IsInt()
  @Min(300, { message: 'must be an integer from 300 to 300000' })
  @Max(300_000, { message: 'must be an integer from 300 to 300000' })
  NODE_TTL_MS: number = 3_000;

  @ToInt()
  @IsInt()
  @Min(65_536, { message: 'must be an integer from 65536 to 268435456' })
  @Max(268_435_456, { message: 'must be an integer from 65536 to 268435456' })
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

  @ToInt()
  @IsInt()
  @Min(60, { message: 'must be an integer from 60 to 604800' })
  @Max(604_800, { message: 'must be an integer from 60 to 604800' })
  TURN_TTL_SECONDS: number = 86_400;

  @ToList()
  @IsArray()
  @Matches(ORIGIN, { each: true, message: 'must be a comma-separated list of origins like https://app.example.com' })
  ALLOWED_ORIGINS: string[] = [];

  @ToInt()
  @IsInt()
  @Min(1_000, { message: 'must be an integer from 1000 to 100000000' })
  @Max(100_000_000, { message: 'must be an integer from 1000 to 100000000' })
  SESSION_EVENTS_MAXLEN: number = 100_000;

  @ToInt()
  @IsInt()
  @Min(1, { message: 'must be an integer from 1 to 1000' })
  @Max(1_000, { message: 'must be an integer from 1 to 1000' })
  SESSION_EVENTS_FLUSH_MS: number = 100;

  // Token authentication is not in this build: refuse to start rather than run open.
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  @IsIn([false], { message: 'token authentication is not available in this build; unset it or set it to false' })
  ENABLE_AUTH: boolean = false;
}

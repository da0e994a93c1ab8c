import { ROOM_ID_PATTERN, SESSION_CONNECTION_STATES, SESSION_FAILURE_REASONS } from '@sg/schema';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MaxUtf8Bytes } from '../http/max-utf8-bytes.validator';
import { QUERY_MAX_BYTES } from '../http/request-limits';
import { SEARCH_LIMIT_MAX, SEARCH_OFFSET_MAX } from './search-sessions.body';

const SEARCH_TIME = /^(\d{1,12}(\.\d{1,6})?|\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)$/;

/** `GET /api/sessions`: the same search from query parameters (PROTOCOL section 3). */
export class ListSessionsQuery {
  @IsOptional()
  @IsString()
  @MaxUtf8Bytes(QUERY_MAX_BYTES)
  q?: string;

  @IsOptional()
  @Matches(ROOM_ID_PATTERN, { message: `room must match ${ROOM_ID_PATTERN.source}` })
  room?: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  user?: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  peer?: string;

  @IsOptional()
  @Matches(/^[0-9A-Fa-f.:[\]]{2,64}$/, { message: 'ip must be an IPv4 or IPv6 address, optionally with :port' })
  ip?: string;

  @IsOptional()
  @IsIn(SESSION_CONNECTION_STATES, { message: `state must be one of ${SESSION_CONNECTION_STATES.join(', ')}` })
  state?: string;

  @IsOptional()
  @IsIn(SESSION_FAILURE_REASONS, { message: `reason must be one of ${SESSION_FAILURE_REASONS.join(', ')}` })
  reason?: string;

  @IsOptional()
  @Matches(SEARCH_TIME, { message: 'from must be Unix seconds or an ISO 8601 date or date-time' })
  from?: string;

  @IsOptional()
  @Matches(SEARCH_TIME, { message: 'to must be Unix seconds or an ISO 8601 date or date-time' })
  to?: string;

  /** Comma-separated rules, e.g. `rtt_ms:asc,created_at:desc`. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  sort?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(SEARCH_LIMIT_MAX)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be an integer' })
  @Min(0)
  @Max(SEARCH_OFFSET_MAX)
  offset?: number;
}

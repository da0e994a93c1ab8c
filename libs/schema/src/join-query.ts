import { IsOptional, IsString, Matches, MaxLength, validateSync } from 'class-validator';
import { compileValidator } from './validation/compile-validator';
import { ROOM_ID_PATTERN } from './ids';
import { LIMITS } from './limits';

/** The query of `GET /ws` (PROTOCOL section 1, Connect). */
export class JoinQuery {
  @IsString()
  @Matches(ROOM_ID_PATTERN, { message: 'room must match ^[A-Za-z0-9_-]{1,64}$' })
  room!: string;

  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.nameMaxLength)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.tokenMaxLength)
  token?: string;

  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.resumeTokenMaxLength)
  resume?: string;
}

export type ParseJoinQueryResult =
  | { readonly ok: true; readonly query: JoinQuery }
  | { readonly ok: false; readonly reason: string };

const JOIN_QUERY_KEYS = ['room', 'name', 'token', 'resume'] as const;

/** Every connection is checked: validateSync regroups the metadata and builds error objects on each call. */
const isValidJoinQuery = compileValidator(JoinQuery);

/** Validates the connect URL's query; a failure means close code 4400 at the edge. */
export function parseJoinQuery(params: URLSearchParams): ParseJoinQueryResult {
  const query = new JoinQuery();
  for (const key of JOIN_QUERY_KEYS) {
    const values = params.getAll(key);
    // a repeated key is ambiguous: two proxies may pick different ones
    if (values.length > 1) return { ok: false, reason: `query parameter "${key}" is repeated` };
    if (values.length === 1) query[key] = values[0];
  }
  if (query.room === undefined) return { ok: false, reason: 'query parameter "room" is required' };
  if (isValidJoinQuery(query)) return { ok: true, query };
  // refused: class-validator itself decides, and words the error
  const errors = validateSync(query, { stopAtFirstError: true, validationError: { target: false, value: false } });
  if (errors.length > 0) {
    const error = errors[0];
    const detail = error.constraints ? Object.values(error.constraints)[0] : 'is invalid';
    return { ok: false, reason: `query parameter "${error.property}": ${detail}` };
  }
  return { ok: true, query };
}

import { SESSION_FILTERABLE_FIELDS, type SessionFilterableField } from '@sg/schema';
import { Allow, ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MaxUtf8Bytes } from '../http/max-utf8-bytes.validator';
import { QUERY_MAX_BYTES } from '../http/request-limits';

export const SEARCH_LIMIT_MAX = 1_000;
/** Deep paging costs the store a scan of everything skipped; past this, narrow the filter instead. */
export const SEARCH_OFFSET_MAX = 100_000;

/** `POST /api/sessions/search`: Meilisearch's search shape (PROTOCOL section 3). */
export class SearchSessionsBody {
  @IsOptional()
  @IsString()
  @MaxUtf8Bytes(QUERY_MAX_BYTES)
  q?: string;

  /** A filter expression or the array form; its size and grammar are checked by `SessionSearchService`. */
  @IsOptional()
  @Allow()
  filter?: unknown;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  sort?: string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SEARCH_LIMIT_MAX)
  limit?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(SEARCH_OFFSET_MAX)
  offset?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(Object.keys(SESSION_FILTERABLE_FIELDS).length)
  @IsIn(Object.keys(SESSION_FILTERABLE_FIELDS), { each: true, message: `each value in facets must be a filterable field: ${Object.keys(SESSION_FILTERABLE_FIELDS).join(', ')}` })
  facets?: SessionFilterableField[];
}

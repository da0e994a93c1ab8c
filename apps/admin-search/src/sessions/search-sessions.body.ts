import { SESSION_FILTERABLE_FIELDS, type SessionFilterableField } from '@sg/schema';
import { Allow, ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const SEARCH_LIMIT_MAX = 1_000;
/** Deep paging costs the store a scan of everything skipped; past this, narrow the filter instead. */
export const SEARCH_OFFSET_MAX = 100_000;
/** Longest filter expression taken, in characters: real filters are far shorter. */
export const SEARCH_FILTER_MAX_CHARS = 8_192;

/** `POST /api/sessions/search`: Meilisearch's search shape (PROTOCOL section 3). */
export class SearchSessionsBody {
  @IsOptional()
  @IsString()
  @MaxLength(512)
  q?: string;

  /** A filter expression or the array form; its grammar is checked by `parseSessionFilter`. */
  @IsOptional()
  @Allow()
  filter?: unknown;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
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

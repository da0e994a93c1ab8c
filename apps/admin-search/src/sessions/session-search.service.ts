import { BadRequestException, Injectable } from '@nestjs/common';
import type { SessionFilterableField } from '@sg/schema';
import {
  DEFAULT_SESSION_SORT,
  parseSearchTime,
  parseSessionFilter,
  parseSessionSort,
  SessionFilterInput,
  sessionListFilter,
  SessionSearchQuery,
  SessionSearchResult,
  SessionStore,
} from '@sg/session';
import { ListSessionsQuery } from './list-sessions.query';
import { SEARCH_FILTER_MAX_CHARS, SearchSessionsBody } from './search-sessions.body';

/** The answer of both search routes (PROTOCOL section 3, Meilisearch's shape). */
export interface SessionSearchResponse extends SessionSearchResult {
  limit: number;
  offset: number;
  processingTimeMs: number;
}

const DEFAULT_LIMIT = 20;
/** `GET /api/sessions` always counts these (PROTOCOL section 3). */
const LIST_FACETS: SessionFilterableField[] = ['connection_state', 'failure_reason'];

/** Turns validated admin API input into one store search; grammar errors become 400s naming the problem. */
@Injectable()
export class SessionSearchService {
  constructor(private readonly store: SessionStore) {}

  search(body: SearchSessionsBody): Promise<SessionSearchResponse> {
    const started = performance.now();
    const query: SessionSearchQuery = {
      q: body.q ?? '',
      filter: parseFilter(body.filter),
      sort: sortOf(body.sort),
      limit: body.limit ?? DEFAULT_LIMIT,
      offset: body.offset ?? 0,
      facets: [...new Set(body.facets ?? [])],
    };
    return this.run(query, started);
  }

  list(params: ListSessionsQuery): Promise<SessionSearchResponse> {
    const started = performance.now();
    const query: SessionSearchQuery = {
      q: params.q ?? '',
      filter: sessionListFilter({
        room: params.room,
        user: params.user,
        peer: params.peer,
        ip: params.ip,
        state: params.state,
        reason: params.reason,
        from: params.from === undefined ? undefined : timeOf('from', params.from),
        to: params.to === undefined ? undefined : timeOf('to', params.to),
      }),
      sort: sortOf(params.sort?.split(',').map((rule) => rule.trim())),
      limit: params.limit ?? DEFAULT_LIMIT,
      offset: params.offset ?? 0,
      facets: LIST_FACETS,
    };
    return this.run(query, started);
  }

  private async run(query: SessionSearchQuery, started: number): Promise<SessionSearchResponse> {
    const result = await this.store.search(query);
    return {
      hits: result.hits,
      estimatedTotalHits: result.estimatedTotalHits,
      limit: query.limit,
      offset: query.offset,
      processingTimeMs: Math.round(performance.now() - started),
      ...(result.facetDistribution ? { facetDistribution: result.facetDistribution } : {}),
    };
  }
}

function parseFilter(filter: unknown): SessionSearchQuery['filter'] {
  if (filter !== undefined && filter !== null && typeof filter !== 'string' && !Array.isArray(filter)) {
    throw new BadRequestException('filter must be a string or an array of strings and arrays of strings');
  }
  if (JSON.stringify(filter ?? '').length > SEARCH_FILTER_MAX_CHARS) {
    throw new BadRequestException(`filter must be at most ${SEARCH_FILTER_MAX_CHARS} characters`);
  }
  const parsed = parseSessionFilter(filter as SessionFilterInput);
  if (!parsed.ok) throw new BadRequestException(`filter: ${parsed.error}`);
  return parsed.ast;
}

function sortOf(rules: string[] | undefined): SessionSearchQuery['sort'] {
  if (rules === undefined || rules.length === 0) return DEFAULT_SESSION_SORT;
  const parsed = parseSessionSort(rules);
  if (!parsed.ok) throw new BadRequestException(parsed.error);
  return parsed.sort;
}

function timeOf(name: 'from' | 'to', value: string): number {
  const seconds = parseSearchTime(value);
  if (seconds === null) throw new BadRequestException(`${name} must be Unix seconds or an ISO 8601 date or date-time`);
  return seconds;
}

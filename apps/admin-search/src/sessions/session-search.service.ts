import { BadRequestException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { METRIC } from '@sg/metrics';
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
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { FILTER_MAX_BYTES, utf8Bytes } from '../http/request-limits';
import { ListSessionsQuery } from './list-sessions.query';
import { SearchAdmission, SearchQueueFullError, SearchTimedOutError } from './search-admission';
import { SearchSessionsBody } from './search-sessions.body';

/** The answer of both search routes (PROTOCOL section 3, Meilisearch's shape). */
export interface SessionSearchResponse extends SessionSearchResult {
  limit: number;
  offset: number;
  processingTimeMs: number;
}

const DEFAULT_LIMIT = 20;
/** `GET /api/sessions` always counts these (PROTOCOL section 3). */
const LIST_FACETS: SessionFilterableField[] = ['connection_state', 'failure_reason'];

type SearchOutcome = 'ok' | 'invalid' | 'timeout' | 'rejected' | 'error';

/**
 * Turns validated admin API input into one store search, within the bounds of PROTOCOL
 * section 3 "Limits": grammar errors become 400s naming the problem, a search past
 * SEARCH_TIMEOUT_MS or beyond the queue becomes 503.
 */
@Injectable()
export class SessionSearchService {
  constructor(
    private readonly store: SessionStore,
    private readonly admission: SearchAdmission,
    @InjectMetric(METRIC.adminSearchDurationSeconds) private readonly duration: Histogram<'outcome'>,
    @InjectMetric(METRIC.adminSearchQueueDepth) private readonly queueDepth: Gauge,
    @InjectMetric(METRIC.adminSearchesRunning) private readonly running: Gauge,
    @InjectMetric(METRIC.adminSearchTimeoutsTotal) private readonly timeouts: Counter,
  ) {}

  search(body: SearchSessionsBody): Promise<SessionSearchResponse> {
    return this.measured(() => ({
      q: body.q ?? '',
      filter: parseFilter(body.filter),
      sort: sortOf(body.sort),
      limit: body.limit ?? DEFAULT_LIMIT,
      offset: body.offset ?? 0,
      facets: [...new Set(body.facets ?? [])],
    }));
  }

  list(params: ListSessionsQuery): Promise<SessionSearchResponse> {
    return this.measured(() => ({
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
    }));
  }

  private async measured(build: () => SessionSearchQuery): Promise<SessionSearchResponse> {
    const started = performance.now();
    let outcome: SearchOutcome = 'error';
    try {
      const query = build();
      const result = await this.admission.run((signal) => {
        this.observeLoad();
        return this.store.search(query, { signal });
      });
      outcome = 'ok';
      return {
        hits: result.hits,
        estimatedTotalHits: result.estimatedTotalHits,
        limit: query.limit,
        offset: query.offset,
        processingTimeMs: Math.round(performance.now() - started),
        ...(result.facetDistribution ? { facetDistribution: result.facetDistribution } : {}),
      };
    } catch (error) {
      if (error instanceof BadRequestException) outcome = 'invalid';
      if (error instanceof SearchTimedOutError) {
        outcome = 'timeout';
        this.timeouts.inc();
        throw new ServiceUnavailableException(error.message);
      }
      if (error instanceof SearchQueueFullError) {
        outcome = 'rejected';
        throw new ServiceUnavailableException(error.message);
      }
      throw error;
    } finally {
      this.duration.observe({ outcome }, (performance.now() - started) / 1000);
      this.observeLoad();
    }
  }

  private observeLoad(): void {
    this.queueDepth.set(this.admission.queued);
    this.running.set(this.admission.running);
  }
}

function parseFilter(filter: unknown): SessionSearchQuery['filter'] {
  if (filter !== undefined && filter !== null && typeof filter !== 'string' && !Array.isArray(filter)) {
    throw new BadRequestException('filter must be a string or an array of strings and arrays of strings');
  }
  const bytes = filterBytes(filter);
  if (bytes > FILTER_MAX_BYTES) throw new BadRequestException(`filter must be at most ${FILTER_MAX_BYTES} bytes (UTF-8), not ${bytes}`);
  const parsed = parseSessionFilter(filter as SessionFilterInput);
  if (!parsed.ok) throw new BadRequestException(`filter: ${parsed.error}`);
  return parsed.ast;
}

/**
 * The size of a filter: its strings in UTF-8, plus one per array element so that a long list of
 * empty strings counts too. Only the two levels of the array form are walked; whatever is deeper
 * is refused by `parseSessionFilter` as a wrong type, and the body's depth is bounded already.
 */
function filterBytes(filter: unknown): number {
  if (typeof filter === 'string') return utf8Bytes(filter);
  if (!Array.isArray(filter)) return 0;
  let bytes = 0;
  for (const element of filter as unknown[]) {
    bytes += 1;
    if (typeof element === 'string') bytes += utf8Bytes(element);
    else if (Array.isArray(element)) for (const rule of element as unknown[]) bytes += 1 + (typeof rule === 'string' ? utf8Bytes(rule) : 0);
  }
  return bytes;
}

function sortOf(rules: string[] | null | undefined): SessionSearchQuery['sort'] {
  // `"sort": null` passes @IsOptional: it means the default, as a missing sort does
  if (rules === undefined || rules === null || rules.length === 0) return DEFAULT_SESSION_SORT;
  const parsed = parseSessionSort(rules);
  if (!parsed.ok) throw new BadRequestException(parsed.error);
  return parsed.sort;
}

function timeOf(name: 'from' | 'to', value: string): number {
  const seconds = parseSearchTime(value);
  if (seconds === null) throw new BadRequestException(`${name} must be Unix seconds or an ISO 8601 date or date-time`);
  return seconds;
}

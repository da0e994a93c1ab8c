import type { SessionDocument, SessionFilterableField, SessionSortableField } from '@sg/schema';
import type { FilterNode } from '../filter/filter-ast';

export type SortDirection = 'asc' | 'desc';

export interface SessionSort {
  readonly field: SessionSortableField;
  readonly direction: SortDirection;
}

/** The default order of PROTOCOL section 3: newest first. */
export const DEFAULT_SESSION_SORT: readonly SessionSort[] = [{ field: 'created_at', direction: 'desc' }];

/** A search as every store runs it, already validated (PROTOCOL section 3, Meilisearch's search shape). */
export interface SessionSearchQuery {
  /** Full text over `SESSION_SEARCHABLE_FIELDS`; blank means none. */
  readonly q: string;
  readonly filter: FilterNode | null;
  /** Applied in order; ties keep the store's own order. */
  readonly sort: readonly SessionSort[];
  /** 1 to 1000. */
  readonly limit: number;
  readonly offset: number;
  /** Filterable fields to count values of among all matching sessions. */
  readonly facets: readonly SessionFilterableField[];
}

/**
 * Counts per value of each requested facet, among all matching sessions, as Meilisearch reports
 * them: string keys (booleans as "true"/"false", numbers in their shortest form), nulls and empty
 * strings not counted, each element of an array counted once per session.
 */
export type FacetDistribution = Record<string, Record<string, number>>;

export interface SessionSearchResult {
  readonly hits: SessionDocument[];
  readonly estimatedTotalHits: number;
  readonly facetDistribution?: FacetDistribution;
}

/** How a caller bounds one search: abort the signal to cancel it (PROTOCOL section 3, `SEARCH_TIMEOUT_MS`). */
export interface SessionSearchOptions {
  readonly signal?: AbortSignal;
}

/** A search given up because its caller aborted it; carries no transport meaning (admin-search maps it). */
export class SessionSearchCancelledError extends Error {
  constructor() {
    super('search cancelled');
    this.name = 'SessionSearchCancelledError';
  }
}

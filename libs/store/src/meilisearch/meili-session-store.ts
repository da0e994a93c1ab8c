import { Index, Meilisearch, MeilisearchApiError, Task } from 'meilisearch';
import { SESSION_FILTERABLE_FIELDS, SESSION_SEARCHABLE_FIELDS, SESSION_SORTABLE_FIELDS, SessionDocument, SessionId } from '@sg/schema';
import { printMeiliFilter, SessionFold, SessionSearchCancelledError, SessionSearchOptions, SessionSearchQuery, SessionSearchResult, SessionStore, StoredSession } from '@sg/session';

export interface MeiliSessionStoreOptions {
  readonly url: string;
  readonly apiKey?: string;
  /** Index names; tests use their own. */
  readonly sessionsIndex?: string;
  readonly foldsIndex?: string;
  /** How long a write may wait for Meilisearch to apply it. */
  readonly taskTimeoutMs?: number;
}

interface FoldRecord {
  session_id: SessionId;
  ended_at: number | null;
  fold: string;
}

/**
 * Sessions in Meilisearch: index `sessions` (primary key `session_id`) holds the
 * documents operators search, with the filterable, sortable and searchable fields of
 * PROTOCOL section 2 set at start-up; index `session_folds` holds each session's fold
 * for the indexer, so search results never carry it. A write resolves once both tasks
 * succeeded (the indexer acknowledges after that), and a failed task throws its error.
 */
export class MeiliSessionStore extends SessionStore {
  private readonly client: Meilisearch;
  readonly sessions: Index<SessionDocument>;
  private readonly folds: Index<FoldRecord>;
  private readonly taskTimeoutMs: number;

  constructor(options: MeiliSessionStoreOptions) {
    super();
    this.client = new Meilisearch({ host: options.url, apiKey: options.apiKey });
    this.sessions = this.client.index<SessionDocument>(options.sessionsIndex ?? 'sessions');
    this.folds = this.client.index<FoldRecord>(options.foldsIndex ?? 'session_folds');
    this.taskTimeoutMs = options.taskTimeoutMs ?? 60_000;
  }

  async init(): Promise<void> {
    for (const index of [this.sessions, this.folds]) {
      const created = await this.client.createIndex(index.uid, { primaryKey: 'session_id' }).waitTask({ timeout: this.taskTimeoutMs });
      if (created.status === 'failed' && created.error?.code !== 'index_already_exists') throw taskError(created);
    }
    await this.applied(
      this.sessions.updateSettings({
        filterableAttributes: Object.keys(SESSION_FILTERABLE_FIELDS),
        sortableAttributes: [...SESSION_SORTABLE_FIELDS],
        searchableAttributes: [...SESSION_SEARCHABLE_FIELDS],
      }),
    );
    await this.applied(this.folds.updateSettings({ filterableAttributes: ['session_id', 'ended_at'], searchableAttributes: [] }));
  }

  async write(sessions: readonly StoredSession[]): Promise<void> {
    if (sessions.length === 0) return;
    // folds first: a session document is never newer than the fold the next batch starts from
    await this.applied(this.folds.addDocuments(sessions.map(({ document, fold }) => ({ session_id: document.session_id, ended_at: document.ended_at, fold: JSON.stringify(fold) }))));
    await this.applied(this.sessions.addDocuments(sessions.map(({ document }) => document)));
  }

  async loadFolds(ids: readonly SessionId[]): Promise<Map<SessionId, SessionFold>> {
    const folds = new Map<SessionId, SessionFold>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const page = await this.folds.getDocuments({ filter: `session_id IN [${chunk.map(quote).join(', ')}]`, limit: chunk.length });
      for (const record of page.results) folds.set(record.session_id, JSON.parse(record.fold) as SessionFold);
    }
    return folds;
  }

  async get(id: SessionId): Promise<SessionDocument | null> {
    try {
      return (await this.sessions.getDocument(id)) as SessionDocument;
    } catch (error) {
      if (error instanceof MeilisearchApiError && error.cause?.code === 'document_not_found') return null;
      throw error;
    }
  }

  async search(query: SessionSearchQuery, options: SessionSearchOptions = {}): Promise<SessionSearchResult> {
    if (options.signal?.aborted) throw new SessionSearchCancelledError();
    const response = await this.sessions.search(query.q, {
      // the tree came from parseSessionFilter; printing it gives Meilisearch the same tree
      filter: query.filter ? printMeiliFilter(query.filter) : undefined,
      sort: query.sort.map(({ field, direction }) => `${field}:${direction}`),
      limit: query.limit,
      offset: query.offset,
      ...(query.facets.length > 0 ? { facets: [...query.facets] } : {}),
      // an aborted search stops waiting for Meilisearch (the HTTP request is aborted)
    }, options.signal ? { signal: options.signal } : undefined).catch((error: unknown) => {
      if (options.signal?.aborted) throw new SessionSearchCancelledError();
      throw error;
    });
    return {
      hits: response.hits as SessionDocument[],
      estimatedTotalHits: response.estimatedTotalHits ?? response.hits.length,
      ...(query.facets.length > 0 ? { facetDistribution: response.facetDistribution ?? {} } : {}),
    };
  }

  async deleteEndedBefore(cutoff: number): Promise<number> {
    const filter = `ended_at EXISTS AND ended_at < ${Number(cutoff)}`;
    const task = await this.applied(this.sessions.deleteDocuments({ filter }));
    await this.applied(this.folds.deleteDocuments({ filter }));
    return task.details?.deletedDocuments ?? 0;
  }

  async check(): Promise<void> {
    await this.client.health();
  }

  async close(): Promise<void> {
    // the client holds no connections between requests
  }

  private async applied(enqueued: ReturnType<Index['addDocuments']>): Promise<Task> {
    const task = await enqueued.waitTask({ timeout: this.taskTimeoutMs, interval: 25 });
    if (task.status !== 'succeeded') throw taskError(task);
    return task;
  }
}

function taskError(task: Task): Error {
  return new Error(`Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.code ?? ''} ${task.error?.message ?? ''}`.trim());
}

/** A filter string value, quoted and escaped (Meilisearch filter grammar). */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type Tracer } from '@opentelemetry/api';
import { parseTraceparent } from '@sg/platform';
import type { SessionId } from '@sg/schema';
import { SessionFold, SessionSearchOptions, SessionSearchQuery, SessionSearchResult, SessionStore, StoredSession } from '@sg/session';

/**
 * The indexer's session store with tracing on: each write of a traced session is a span
 * (`index session`) in the session's trace, under its root span, whose context the fold keeps
 * from the session events (SessionFold.trace; docs/operations.md, "Tracing"). A batch writes
 * many sessions in one transaction: each gets a span of the whole write.
 */
export class TracingSessionStore extends SessionStore {
  constructor(
    private readonly inner: SessionStore,
    private readonly tracer: Tracer,
    private readonly node: string,
  ) {
    super();
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  async write(sessions: readonly StoredSession[]): Promise<void> {
    const started = Date.now();
    let failure: unknown = null;
    try {
      await this.inner.write(sessions);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      const ended = Date.now();
      for (const { fold, document } of sessions) {
        const parent = fold.trace && parseTraceparent(fold.trace.v);
        if (!parent) continue;
        const span = this.tracer.startSpan(
          'index session',
          {
            kind: SpanKind.CONSUMER,
            startTime: started,
            attributes: {
              'signaling.session_id': document.session_id,
              'signaling.connection_state': document.connection_state,
              'signaling.failure_reason': document.failure_reason ?? '',
              'signaling.end_reason': document.end_reason ?? '',
              'signaling.sessions_in_write': sessions.length,
              'signaling.node': this.node,
            },
          },
          trace.setSpanContext(ROOT_CONTEXT, parent),
        );
        // the SessionIndexer retries a failed write: each attempt is a span
        if (failure !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: String(failure).slice(0, 200) });
        span.end(ended);
      }
    }
  }

  loadFolds(ids: readonly SessionId[]): Promise<Map<SessionId, SessionFold>> {
    return this.inner.loadFolds(ids);
  }

  get(id: SessionId): ReturnType<SessionStore['get']> {
    return this.inner.get(id);
  }

  search(query: SessionSearchQuery, options?: SessionSearchOptions): Promise<SessionSearchResult> {
    return this.inner.search(query, options);
  }

  deleteEndedBefore(cutoff: number): Promise<number> {
    return this.inner.deleteEndedBefore(cutoff);
  }

  check(): Promise<void> {
    return this.inner.check();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The store the indexer writes through: `store` itself with tracing off. */
export function traceSessionWrites(tracer: Tracer | null, store: SessionStore, node: string): SessionStore {
  return tracer ? new TracingSessionStore(store, tracer, node) : store;
}

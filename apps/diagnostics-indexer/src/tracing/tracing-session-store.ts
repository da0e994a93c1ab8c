import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type Tracer } from '@opentelemetry/api';
import { parseTraceparent } from '@sg/platform';
import { DelegatingSessionStore, SessionStore, StoredSession } from '@sg/session';

/**
 * The indexer's session store with tracing on: each write of a traced session is a span
 * (`index session`) in the session's trace, under its root span, whose context the fold keeps
 * from the session events (SessionFold.trace; docs/operations.md, "Tracing"). A batch writes
 * many sessions in one transaction: each gets a span of the whole write.
 */
export class TracingSessionStore extends DelegatingSessionStore {
  constructor(
    inner: SessionStore,
    private readonly tracer: Tracer,
    private readonly node: string,
  ) {
    super(inner);
  }

  override async write(sessions: readonly StoredSession[]): Promise<void> {
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
}

/** The store the indexer writes through: `store` itself with tracing off. */
export function traceSessionWrites(tracer: Tracer | null, store: SessionStore, node: string): SessionStore {
  return tracer ? new TracingSessionStore(store, tracer, node) : store;
}

import { SessionEventSink } from '@sg/room';
import type { SessionEvent } from '@sg/schema';
import type { SessionTracing } from './session-tracing';

/**
 * The session event sink with tracing on: each event the node writes is seen by SessionTracing
 * first (its spans, and the session's `traceparent` on the event), then written as before.
 */
export class TracingSessionEventSink extends SessionEventSink {
  constructor(
    private readonly inner: SessionEventSink,
    private readonly tracing: SessionTracing,
  ) {
    super();
  }

  record(event: SessionEvent): void {
    this.tracing.recorded(event);
    this.inner.record(event);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The sink to bind: `inner` itself with tracing off, so the relay path pays nothing for it. */
export function traceSessionEvents(tracing: SessionTracing, inner: SessionEventSink): SessionEventSink {
  return tracing.on ? new TracingSessionEventSink(inner, tracing) : inner;
}

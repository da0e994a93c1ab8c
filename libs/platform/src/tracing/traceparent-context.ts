import { isSpanContextValid, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { TRACEPARENT_PATTERN } from '@sg/schema';

/** A span's context as a W3C `traceparent` (version 00). */
export function formatTraceparent(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-0${(context.traceFlags & TraceFlags.SAMPLED).toString(16)}`;
}

/** The remote span context a `traceparent` names, or null when it is not a valid one. */
export function parseTraceparent(traceparent: string): SpanContext | null {
  if (!TRACEPARENT_PATTERN.test(traceparent)) return null;
  const context: SpanContext = {
    traceId: traceparent.slice(3, 35),
    spanId: traceparent.slice(36, 52),
    traceFlags: parseInt(traceparent.slice(53, 55), 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(context) ? context : null;
}

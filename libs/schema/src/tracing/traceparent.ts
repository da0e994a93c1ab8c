/**
 * A W3C Trace Context `traceparent` of version 00: `00-<trace id>-<parent span id>-<flags>`,
 * lower-case hex, neither id all zeros (https://www.w3.org/TR/trace-context/#traceparent-header).
 * Session events carry the session's trace this way (docs/operations.md, "Tracing").
 */
export const TRACEPARENT_PATTERN = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id of a valid `traceparent` (32 hex digits). */
export function traceIdOf(traceparent: string): string {
  return traceparent.slice(3, 35);
}

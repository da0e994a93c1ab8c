/**
 * The pattern a consumer of the session event streams dispatches each batch of entries
 * (`SessionEventEntry[]`) to. A plain string here, so the handler's `@EventPattern` in
 * the app and the transport in `@sg/cluster` share it without the domain importing Nest.
 */
export const SESSION_EVENTS_PATTERN = 'session-events';

import type { SessionEvent } from '@sg/schema';

/** Where the gateway records what the indexer folds into session documents. */
export abstract class SessionEventSink {
  /** Queues one event; never throws and never blocks the relay path. */
  abstract record(event: SessionEvent): void;
  /** Writes what is buffered, for a clean shutdown. */
  abstract close(): Promise<void>;
}

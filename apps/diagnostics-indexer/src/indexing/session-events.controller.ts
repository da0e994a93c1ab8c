import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IndexedSessionEvents, SESSION_EVENTS_PATTERN, SessionEventEntry, SessionIndexer } from '@sg/session';

/** Hands each batch of the session event streams (`RedisStreamsTransport`) to the indexer. */
@Controller()
export class SessionEventsController {
  // an explicit token: bench/indexer-bench.ts runs this controller under tsx, whose esbuild emits no decorator metadata
  constructor(@Inject(SessionIndexer) private readonly indexer: SessionIndexer) {}

  /** Resolves once the batch's sessions are written: the transport acknowledges the entries then, and calls again with them if it rejects. */
  @EventPattern(SESSION_EVENTS_PATTERN)
  index(@Payload() entries: readonly SessionEventEntry[]): Promise<IndexedSessionEvents> {
    return this.indexer.index(entries);
  }
}

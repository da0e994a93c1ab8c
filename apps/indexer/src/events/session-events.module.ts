import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { SessionEventsGroup } from './session-events-group';

/** The session events stream as the indexer consumes it. */
@Module({
  imports: [TerminusModule],
  providers: [SessionEventsGroup],
  exports: [SessionEventsGroup],
})
export class SessionEventsModule {}

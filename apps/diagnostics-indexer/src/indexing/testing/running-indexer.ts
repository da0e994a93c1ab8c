import type { INestMicroservice } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { RedisPeerRecordStore, RedisSessionDeadlines, RedisShardLeases, RedisStreamSessionEventSource, RedisStreamsTransport } from '@sg/cluster';
import { SessionIndexer, SessionIndexerObserver, SessionRules, SessionStore } from '@sg/session';
import type Redis from 'ioredis';
import { SessionEventsController } from '../session-events.controller';
import { observeSessionEventsTransport } from '../session-indexing.providers';

/** An indexer observer that counts what the tests wait for. */
export interface Counting extends SessionIndexerObserver {
  events: number;
  deadLetters: number;
}

export function counting(): Counting {
  return {
    events: 0,
    deadLetters: 0,
    batch(_entries, events) {
      this.events += events;
    },
    lag: () => undefined,
    storeWrite: () => undefined,
    deadLettered(events) {
      this.deadLetters += events;
    },
    deadlinesFired: () => undefined,
    retry: () => undefined,
  };
}

/**
 * An indexer wired as the app wires it, for the int-specs: the streams' transport
 * (a Nest microservice) hands each batch to `SessionEventsController`, and the deadline
 * clock runs beside it. Short leases and waits, so shards move within a test.
 */
export class RunningIndexer {
  readonly observer = counting();
  private readonly deadlines: Promise<void>;
  private app: INestMicroservice | null = null;
  readonly source: RedisStreamSessionEventSource;
  readonly indexer: SessionIndexer;

  private constructor(redis: Redis, readonly store: SessionStore, rules: SessionRules, name: string, leaseTtlMs: number) {
    this.source = new RedisStreamSessionEventSource(redis, new RedisShardLeases(redis, name, { ttlMs: leaseTtlMs }), {
      consumer: name,
      leaseRenewMs: Math.floor(leaseTtlMs / 3),
      deadLetterMaxLen: 1_000,
    });
    const peers = new RedisPeerRecordStore(redis, { ttlSeconds: 3_600, leftTtlSeconds: 60 });
    this.indexer = new SessionIndexer(this.source, store, peers, new RedisSessionDeadlines(redis), { rules, batchEntries: 50, idleWaitMs: 50, retryDelayMs: 20 }, this.observer);
    this.deadlines = this.indexer.runDeadlines();
  }

  static async start(redis: Redis, store: SessionStore, rules: SessionRules, name: string, leaseTtlMs = 600): Promise<RunningIndexer> {
    const running = new RunningIndexer(redis, store, rules, name, leaseTtlMs);
    const transport = observeSessionEventsTransport(new RedisStreamsTransport(running.source, { batchEntries: 50, blockMs: 50, retryDelayMs: 20 }), running.indexer, running.observer);
    const module = await Test.createTestingModule({ controllers: [SessionEventsController], providers: [{ provide: SessionIndexer, useValue: running.indexer }] }).compile();
    running.app = module.createNestMicroservice<MicroserviceOptions>({ strategy: transport, logger: false });
    await running.app.listen();
    return running;
  }

  /** As the app stops: the deadline clock first, then the transport, which acknowledges the batch under way and releases the shards. */
  async stop(): Promise<void> {
    this.indexer.stop();
    await this.deadlines;
    await this.app?.close();
  }
}

import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { SessionEventsController } from '../../apps/diagnostics-indexer/src/indexing/session-events.controller';
import { observeSessionEventsTransport } from '../../apps/diagnostics-indexer/src/indexing/session-indexing.providers';
import { RedisPeerRecordStore, RedisSessionDeadlines, RedisShardLeases, RedisStreamSessionEventSource, RedisStreamsTransport } from '../../libs/cluster/src';
import { SessionIndexer, SessionIndexerObserver, SessionStore } from '../../libs/session/src';

@Module({})
class IndexerBenchModule {}

export interface StartableIndexer {
  /** Starts reading (leases, groups, then batches) and the deadline clock. */
  start(): Promise<void>;
  /** As the app stops: the deadline clock, then the transport (batch under way acknowledged, shards released). */
  stop(): Promise<void>;
}

/**
 * The indexer as apps/diagnostics-indexer wires it, with its defaults: `RedisStreamsTransport`
 * as a Nest microservice handing batches to the app's `SessionEventsController`. Built (Nest's
 * DI included) before `start()`, so a benchmark times only what the indexer does once started.
 */
export async function startableIndexer(redis: Redis, store: SessionStore, observer: SessionIndexerObserver): Promise<StartableIndexer> {
  const leaseTtlMs = 5_000;
  const source = new RedisStreamSessionEventSource(redis, new RedisShardLeases(redis, 'bench-indexer', { ttlMs: leaseTtlMs }), {
    consumer: 'bench-indexer',
    leaseRenewMs: Math.floor(leaseTtlMs / 3),
    deadLetterMaxLen: 100_000,
  });
  const options = { rules: { negotiationTimeoutMs: 30_000, iceTimeoutMs: 30_000 }, batchEntries: 200, idleWaitMs: 500, retryDelayMs: 100 };
  const indexer = new SessionIndexer(source, store, new RedisPeerRecordStore(redis, { ttlSeconds: 86_400, leftTtlSeconds: 600 }), new RedisSessionDeadlines(redis), options, observer);
  const transport = new RedisStreamsTransport(source, { batchEntries: options.batchEntries, blockMs: options.idleWaitMs, retryDelayMs: options.retryDelayMs });
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    { module: IndexerBenchModule, controllers: [SessionEventsController], providers: [{ provide: SessionIndexer, useValue: indexer }] },
    { strategy: observeSessionEventsTransport(transport, indexer, observer), logger: false },
  );
  let deadlines: Promise<void> = Promise.resolve();
  return {
    start: async () => {
      deadlines = indexer.runDeadlines();
      await app.listen();
    },
    stop: async () => {
      indexer.stop();
      await deadlines;
      await app.close();
    },
  };
}

import 'reflect-metadata';
import { FactoryProvider, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type Redis from 'ioredis';
import type { Counter, Histogram } from 'prom-client';
import { CallQualityMetrics } from '../../apps/diagnostics-indexer/src/call-quality/call-quality-metrics';
import { CallQualityRecordingStore } from '../../apps/diagnostics-indexer/src/call-quality/call-quality-recording-store';
import { SessionEventsController } from '../../apps/diagnostics-indexer/src/indexing/session-events.controller';
import { observeSessionEventsTransport } from '../../apps/diagnostics-indexer/src/indexing/session-indexing.providers';
import { RedisPeerRecordStore, RedisSessionDeadlines, RedisShardLeases, RedisStreamSessionEventSource, RedisStreamsTransport } from '../../libs/cluster/src';
import { callQualityMetricProviders } from '../../libs/metrics/src';
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
export async function startableIndexer(redis: Redis, store: SessionStore, observer: SessionIndexerObserver, wiring: { callQuality: boolean }): Promise<StartableIndexer> {
  const leaseTtlMs = 5_000;
  const source = new RedisStreamSessionEventSource(redis, new RedisShardLeases(redis, 'bench-indexer', { ttlMs: leaseTtlMs }), {
    consumer: 'bench-indexer',
    leaseRenewMs: Math.floor(leaseTtlMs / 3),
    deadLetterMaxLen: 100_000,
  });
  const options = { rules: { negotiationTimeoutMs: 30_000, iceTimeoutMs: 30_000 }, batchEntries: 200, idleWaitMs: 500, retryDelayMs: 100 };
  // the app counts call quality on the store's writes (CallQualityRecordingStore); --call-quality=off measures without
  const observed = wiring.callQuality ? new CallQualityRecordingStore(store, options.rules, callQualityMetrics()) : store;
  const indexer = new SessionIndexer(source, observed, new RedisPeerRecordStore(redis, { ttlSeconds: 86_400, leftTtlSeconds: 600 }), new RedisSessionDeadlines(redis), options, observer);
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

/** The app's call-quality metrics, built from their providers as Nest would. */
function callQualityMetrics(): CallQualityMetrics {
  const metrics = callQualityMetricProviders.map((provider) => (provider as FactoryProvider).useFactory());
  return new CallQualityMetrics(...(metrics as [Counter, Counter, Histogram, Counter, Histogram, Histogram, Histogram]));
}

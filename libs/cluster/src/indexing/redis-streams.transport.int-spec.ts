import { Controller, INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, MicroserviceOptions, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { SESSION_EVENTS_PATTERN, SessionEventEntry } from '@sg/session';
import type Redis from 'ioredis';
import { defer, Observable, throwError } from 'rxjs';
import { REDIS_KEYS } from '../redis-keys';
import { connectTestRedis } from '../testing/connect-test-redis';
import { RedisShardLeases } from './redis-shard-leases';
import { RedisStreamSessionEventSource } from './redis-stream-session-event-source';
import { RedisStreamsContext } from './redis-streams.context';
import { RedisStreamsTransport } from './redis-streams.transport';

/** What the handler does with each call: a test sets it before entries arrive. */
type Behaviour = (entries: readonly SessionEventEntry[], context: RedisStreamsContext) => Promise<unknown> | Observable<unknown>;

interface Call {
  ids: string[];
  attempt: number;
}

const handlerState: { behaviour: Behaviour; calls: Call[] } = { behaviour: async () => undefined, calls: [] };

@Controller()
class RecordingController {
  // `<string>` picks the untyped overload: the typed-events one types every parameter after the payload as unknown, so `@Ctx()` could not be typed
  @EventPattern<string>(SESSION_EVENTS_PATTERN)
  handle(@Payload() entries: readonly SessionEventEntry[], @Ctx() context: RedisStreamsContext): Promise<unknown> | Observable<unknown> {
    handlerState.calls.push({ ids: entries.map((e) => e.id), attempt: context.getAttempt() });
    return handlerState.behaviour(entries, context);
  }
}

async function eventually<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe(RedisStreamsTransport.name, () => {
  let redis: Redis;
  let app: INestMicroservice | null = null;
  let transport: RedisStreamsTransport;
  let events: { acknowledged: Array<{ ids: string[]; result: unknown }>; retries: string[] };

  const stream = REDIS_KEYS.sessionEvents(3);
  const pending = () => redis.xpending(stream, REDIS_KEYS.sessionEventsGroup).then((reply) => Number((reply as [number])[0]), () => 0);

  async function start(): Promise<void> {
    const source = new RedisStreamSessionEventSource(redis, new RedisShardLeases(redis, 'ix-t', { ttlMs: 3_000 }), { consumer: 'ix-t', leaseRenewMs: 1_000, deadLetterMaxLen: 100 });
    transport = new RedisStreamsTransport(source, { batchEntries: 100, blockMs: 20, retryDelayMs: 20 });
    events = { acknowledged: [], retries: [] };
    transport.on('acknowledged', (entries, result) => events.acknowledged.push({ ids: entries.map((e) => e.id), result }));
    transport.on('retry', (stage) => events.retries.push(stage));
    const module = await Test.createTestingModule({ controllers: [RecordingController] }).compile();
    app = module.createNestMicroservice<MicroserviceOptions>({ strategy: transport, logger: false });
    await app.listen();
  }

  beforeAll(async () => {
    redis = await connectTestRedis(10);
  });
  beforeEach(async () => {
    await redis.flushdb();
    handlerState.calls = [];
    handlerState.behaviour = async () => undefined;
  });
  afterEach(async () => {
    await app?.close();
    app = null;
  });
  afterAll(() => redis.quit());

  it('acknowledges entries only after the handler resolved, and reports what it resolved to', async () => {
    const release = deferred();
    handlerState.behaviour = async (entries) => {
      await release.promise;
      return { handled: entries.length };
    };
    const ids = [await redis.xadd(stream, '*', 'b', '[1]'), await redis.xadd(stream, '*', 'b', '[2]')];
    await start();
    await eventually(() => handlerState.calls.length, (n) => n === 1);
    expect(handlerState.calls[0]).toEqual({ ids, attempt: 1 });
    // the handler is still at work: read, delivered, not acknowledged
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await pending()).toBe(2);
    expect(await redis.xlen(stream)).toBe(2);
    expect(events.acknowledged).toEqual([]);
    release.resolve();
    await eventually(() => events.acknowledged.length, (n) => n === 1);
    expect(events.acknowledged[0]).toEqual({ ids, result: { handled: 2 } });
    expect(await pending()).toBe(0);
    expect(await redis.xlen(stream)).toBe(0);
    expect(handlerState.calls).toHaveLength(1);
    expect(events.retries).toEqual([]);
  });

  it('calls a failing handler again with the same batch, unacknowledged, until it succeeds', async () => {
    const pendingAtEachCall: number[] = [];
    handlerState.behaviour = async () => {
      pendingAtEachCall.push(await pending());
      if (pendingAtEachCall.length <= 3) throw new Error('store unreachable');
      return 'written';
    };
    const id = await redis.xadd(stream, '*', 'b', '[1]');
    await start();
    await eventually(() => events.acknowledged.length, (n) => n === 1);
    expect(handlerState.calls).toEqual([1, 2, 3, 4].map((attempt) => ({ ids: [id], attempt })));
    expect(events.retries).toEqual(['handler', 'handler', 'handler']);
    // never acknowledged in between: each call saw the entry still pending
    expect(pendingAtEachCall).toEqual([1, 1, 1, 1]);
    expect(events.acknowledged).toEqual([{ ids: [id], result: 'written' }]);
    expect(await redis.xlen(stream)).toBe(0);
  });

  it('treats an observable that errors as a failure too, and waits for one that completes', async () => {
    let calls = 0;
    handlerState.behaviour = () => (++calls === 1 ? throwError(() => new Error('late failure')) : defer(async () => 'done'));
    const id = await redis.xadd(stream, '*', 'b', '[1]');
    await start();
    await eventually(() => events.acknowledged.length, (n) => n === 1);
    expect(events.retries).toEqual(['handler']);
    expect(events.acknowledged).toEqual([{ ids: [id], result: 'done' }]);
  });

  it('on close, acknowledges the batch under way before releasing the shards', async () => {
    const release = deferred();
    handlerState.behaviour = () => release.promise;
    await redis.xadd(stream, '*', 'b', '[1]');
    await start();
    await eventually(() => handlerState.calls.length, (n) => n === 1);
    expect(await redis.get(REDIS_KEYS.indexerShardLease(3))).toBe('ix-t');
    const closing = (app as INestMicroservice).close();
    app = null;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await redis.get(REDIS_KEYS.indexerShardLease(3))).toBe('ix-t');
    release.resolve();
    await closing;
    expect(await redis.xlen(stream)).toBe(0);
    expect(events.acknowledged).toHaveLength(1);
    expect(await redis.get(REDIS_KEYS.indexerShardLease(3))).toBeNull();
  });

  it('on close, leaves a batch whose handler keeps failing unacknowledged, for the next holder of the shard', async () => {
    handlerState.behaviour = async () => {
      throw new Error('store unreachable');
    };
    await redis.xadd(stream, '*', 'b', '[1]');
    await start();
    await eventually(() => events.retries.length, (n) => n >= 2);
    await (app as INestMicroservice).close();
    app = null;
    expect(await pending()).toBe(1);
    expect(events.acknowledged).toEqual([]);
  });

  it('refuses to listen with no handler for the pattern', async () => {
    const source = new RedisStreamSessionEventSource(redis, new RedisShardLeases(redis, 'ix-t', { ttlMs: 3_000 }), { consumer: 'ix-t', leaseRenewMs: 1_000, deadLetterMaxLen: 100 });
    const bare = new RedisStreamsTransport(source, { batchEntries: 100, blockMs: 20, retryDelayMs: 20 });
    const error = await new Promise<unknown>((resolve) => bare.listen(resolve));
    expect(String(error)).toMatch(`no @EventPattern('${SESSION_EVENTS_PATTERN}') handler`);
    await bare.close();
  });
});

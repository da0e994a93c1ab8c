import Redis from 'ioredis';
import { performance } from 'node:perf_hooks';

/**
 * One gateway node as far as cross-node fan-out goes: a command connection that
 * publishes and a subscriber connection that receives. Messages are
 * `STAMP|ORIGIN|ROOM|BODY`, STAMP being performance.now() of this one process.
 */
export class SimulatedNode {
  readonly publisher: Redis;
  readonly subscriber: Redis;
  /** Latencies in microseconds of messages from the other node, for the current phase. */
  latencies: Float64Array = new Float64Array(0);
  received = 0;
  /** Messages this node published and got back on its own subscription (per-room only). */
  echoes = 0;

  constructor(
    readonly id: string,
    redisUrl: string,
  ) {
    this.publisher = new Redis(redisUrl, { lazyConnect: true });
    this.subscriber = new Redis(redisUrl, { lazyConnect: true });
    this.subscriber.on('message', (_channel: string, message: string) => {
      const now = performance.now();
      const stampEnd = message.indexOf('|');
      const originEnd = message.indexOf('|', stampEnd + 1);
      if (message.slice(stampEnd + 1, originEnd) === this.id) {
        this.echoes++;
        return;
      }
      if (this.received < this.latencies.length) this.latencies[this.received] = (now - Number(message.slice(0, stampEnd))) * 1000;
      this.received++;
    });
  }

  async connect(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
  }

  /** Starts a measurement phase expecting at most `capacity` messages. */
  reset(capacity: number): void {
    this.latencies = new Float64Array(capacity);
    this.received = 0;
    this.echoes = 0;
  }

  publish(channel: string, room: string, body: string): void {
    void this.publisher.publish(channel, `${performance.now()}|${this.id}|${room}|${body}`);
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}

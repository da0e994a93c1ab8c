import { SerializedEventQueue } from './serialized-event-queue';

interface Sample {
  readonly i: number;
  readonly text: string;
}

function sample(i: number): Sample {
  // multi-byte text and escapes: bytes differ from UTF-16 length
  return { i, text: i % 3 === 0 ? `é"\u2028${'x'.repeat(i % 50)}` : `p${i}\n🎉` };
}

function decode(taken: { batch: Buffer; seqs: string } | null): { events: Sample[]; seqs: number[] } {
  if (taken === null) return { events: [], seqs: [] };
  return { events: JSON.parse(taken.batch.toString('utf8')) as Sample[], seqs: taken.seqs.split(',').map(Number) };
}

/** A plain model of the queue: what the byte queue must match. */
class ModelQueue {
  events: Array<{ sample: Sample; seq: number }> = [];
  nextSeq = 1;
  inFlight = 0;

  push(sample: Sample): void {
    this.events.push({ sample, seq: this.nextSeq++ });
  }

  take(max: number): { events: Sample[]; seqs: number[] } {
    this.inFlight = Math.min(this.events.length, max);
    const head = this.events.slice(0, this.inFlight);
    return { events: head.map((e) => e.sample), seqs: head.map((e) => e.seq) };
  }

  settle(written: boolean): number {
    const count = written ? this.inFlight : 0;
    this.events.splice(0, count);
    this.inFlight = 0;
    return count;
  }

  dropOldest(): boolean {
    if (this.events.length <= this.inFlight) return false;
    this.events.splice(this.inFlight, 1);
    return true;
  }
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(SerializedEventQueue.name, () => {
  it('gives back the events it was given as one JSON array, in order, numbered from 1', () => {
    const queue = new SerializedEventQueue();
    for (let i = 0; i < 5; i++) queue.push(JSON.stringify(sample(i)));
    const taken = queue.take(3);
    expect(decode(taken)).toEqual({ events: [0, 1, 2].map(sample), seqs: [1, 2, 3] });
    expect(queue.settle(true)).toBe(3);
    expect(decode(queue.take(10))).toEqual({ events: [3, 4].map(sample), seqs: [4, 5] });
  });

  it('keeps a failed write at the head, with the numbers it had, ahead of events recorded meanwhile', () => {
    const queue = new SerializedEventQueue();
    queue.push(JSON.stringify(sample(0)));
    queue.push(JSON.stringify(sample(1)));
    queue.take(10);
    queue.push(JSON.stringify(sample(2)));
    expect(queue.settle(false)).toBe(0);
    expect(decode(queue.take(10))).toEqual({ events: [0, 1, 2].map(sample), seqs: [1, 2, 3] });
  });

  it('leaves the bytes of a batch under way as they were while events are recorded and its buffer grows', () => {
    const queue = new SerializedEventQueue();
    for (let i = 0; i < 3; i++) queue.push(JSON.stringify(sample(i)));
    const taken = queue.take(10);
    const before = Buffer.from(taken!.batch);
    for (let i = 3; i < 2000; i++) queue.push(JSON.stringify(sample(i)));
    expect(queue.dropOldest()).toBe(true);
    expect(taken!.batch.equals(before)).toBe(true);
    expect(decode(taken).events).toEqual([0, 1, 2].map(sample));
    queue.settle(true);
    expect(decode(queue.take(5000)).events).toEqual(Array.from({ length: 1996 }, (_, k) => sample(4 + k)));
  });

  it('never drops what a write under way covers, and removes dropped events once it settles', () => {
    const queue = new SerializedEventQueue();
    for (let i = 0; i < 4; i++) queue.push(JSON.stringify(sample(i)));
    queue.take(2);
    expect(queue.dropOldest()).toBe(true); // event 2
    expect(queue.dropOldest()).toBe(true); // event 3
    expect(queue.dropOldest()).toBe(false); // only in-flight events are left
    expect(queue.length).toBe(2);
    queue.push(JSON.stringify(sample(4)));
    expect(queue.settle(false)).toBe(0);
    expect(decode(queue.take(10))).toEqual({ events: [0, 1, 4].map(sample), seqs: [1, 2, 5] });
  });

  it('returns null when nothing waits, dropped events included', () => {
    const queue = new SerializedEventQueue();
    expect(queue.take(10)).toBeNull();
    queue.push(JSON.stringify(sample(0)));
    expect(queue.dropOldest()).toBe(true);
    expect(queue.length).toBe(0);
    expect(queue.take(10)).toBeNull();
  });

  it('holds events far larger than its first buffer and shrinks back after they are written', () => {
    const queue = new SerializedEventQueue();
    const big = { i: 0, text: 'y'.repeat(100_000) };
    for (let i = 0; i < 40; i++) queue.push(JSON.stringify({ ...big, i }));
    const taken = decode(queue.take(100));
    expect(taken.events.map((e) => e.i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(taken.events.every((e) => e.text === big.text)).toBe(true);
    queue.settle(true);
    queue.push(JSON.stringify(sample(1)));
    expect(decode(queue.take(10)).events).toEqual([sample(1)]);
  });

  it('drops the oldest first when the bound is reached with no write under way, removing their bytes in bulk', () => {
    const queue = new SerializedEventQueue();
    for (let i = 0; i < 3000; i++) {
      queue.push(JSON.stringify(sample(i)));
      if (i >= 500) expect(queue.dropOldest()).toBe(true);
    }
    expect(queue.length).toBe(500);
    const taken = decode(queue.take(1000));
    expect(taken.events).toEqual(Array.from({ length: 500 }, (_, k) => sample(2500 + k)));
    expect(taken.seqs[0]).toBe(2501);
  });

  it('matches a plain model of the queue over random pushes, writes, failures and drops', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = random(seed);
      const queue = new SerializedEventQueue();
      const model = new ModelQueue();
      let counter = 0;
      let writing = false;
      for (let step = 0; step < 1500; step++) {
        const action = next();
        if (action < 0.6) {
          const s = sample(counter++);
          queue.push(JSON.stringify(s));
          model.push(s);
        } else if (action < 0.75) {
          expect(queue.dropOldest()).toBe(model.dropOldest());
        } else if (!writing) {
          const max = 1 + Math.floor(next() * 50);
          const taken = decode(queue.take(max));
          expect(taken).toEqual(model.take(max));
          writing = taken.events.length > 0;
        } else {
          const written = next() < 0.7;
          expect(queue.settle(written)).toBe(model.settle(written));
          writing = false;
        }
        expect(queue.length).toBe(model.events.length);
      }
    }
  });
});

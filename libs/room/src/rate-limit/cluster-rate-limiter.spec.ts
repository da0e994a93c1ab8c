import { ClusterRateLimiter, LimitedKey } from './cluster-rate-limiter';
import type { WindowCounts, WindowIncrement } from './rate-limit-store';

/** The store's arithmetic, in memory: what the Redis script does, for pure tests. */
class CountsInMemory {
  private readonly counts = new Map<string, number>();

  add(batch: readonly WindowIncrement[]): WindowCounts[] {
    return batch.map(({ key, window, delta }) => {
      const current = (this.counts.get(`${key}/${window}`) ?? 0) + delta;
      this.counts.set(`${key}/${window}`, current);
      return { current, previous: this.counts.get(`${key}/${window - 1}`) ?? 0 };
    });
  }
}

function sync(limiter: ClusterRateLimiter, store: CountsInMemory, now: number): void {
  const batch = limiter.drain(now);
  limiter.reconcile(batch, store.add(batch));
}

function takeMany(limiter: ClusterRateLimiter, keys: readonly LimitedKey[], count: number, now: number): number {
  let admitted = 0;
  for (let i = 0; i < count; i++) if (limiter.tryTake(keys, now) === -1) admitted++;
  return admitted;
}

const IP: LimitedKey = { key: 'ip:203.0.113.7', limit: 10 };
const ROOM: LimitedKey = { key: 'room:r1', limit: 6 };

describe(ClusterRateLimiter.name, () => {
  it('admits up to the limit on one node, without any store', () => {
    const limiter = new ClusterRateLimiter();

    expect(takeMany(limiter, [IP], 15, 1_000)).toBe(10);
  });

  it('names the first key over its limit and counts against none of them', () => {
    const limiter = new ClusterRateLimiter();
    takeMany(limiter, [IP, ROOM], 6, 1_000);

    expect(limiter.tryTake([IP, ROOM], 1_000)).toBe(1);
    // the IP slot was not taken by the refused message
    expect(takeMany(limiter, [IP], 10, 1_000)).toBe(4);
  });

  it('skips keys whose limit is 0', () => {
    const limiter = new ClusterRateLimiter();

    expect(takeMany(limiter, [{ key: 'room:off', limit: 0 }], 100, 1_000)).toBe(100);
    expect(limiter.size).toBe(0);
  });

  it('holds a limit across two nodes once they have synced', () => {
    const store = new CountsInMemory();
    const a = new ClusterRateLimiter();
    const b = new ClusterRateLimiter();
    expect(takeMany(a, [IP], 7, 1_000)).toBe(7);
    expect(takeMany(b, [IP], 1, 1_000)).toBe(1);
    sync(a, store, 1_100);
    sync(b, store, 1_100);

    expect(takeMany(b, [IP], 5, 1_200)).toBe(2);
  });

  it('keeps re-reading a key past half its limit while it adds no events', () => {
    const store = new CountsInMemory();
    const a = new ClusterRateLimiter();
    const b = new ClusterRateLimiter();
    takeMany(a, [IP], 7, 1_000);
    takeMany(b, [IP], 1, 1_000);
    sync(a, store, 1_100);
    sync(b, store, 1_100);
    takeMany(b, [IP], 2, 1_200);
    sync(b, store, 1_300);

    expect(a.drain(1_300)).toEqual([{ key: IP.key, window: 0, delta: 0 }]);
    a.reconcile([{ key: IP.key, window: 0, delta: 0 }], store.add([{ key: IP.key, window: 0, delta: 0 }]));
    expect(takeMany(a, [IP], 5, 1_400)).toBe(0);
  });

  it('decides a quiet key on the count it last saw until its own next sync', () => {
    const store = new CountsInMemory();
    const a = new ClusterRateLimiter();
    const b = new ClusterRateLimiter();
    const key: LimitedKey = { key: 'ip:quiet', limit: 100 };
    takeMany(a, [key], 10, 1_000);
    sync(a, store, 1_100);
    takeMany(b, [key], 85, 1_200);
    sync(b, store, 1_300);

    // under half its limit on a: not re-read, so a admits on its old count of 10
    expect(a.drain(1_300)).toEqual([]);
    expect(takeMany(a, [key], 20, 1_400)).toBe(20);
    sync(a, store, 1_500);
    expect(takeMany(a, [key], 5, 1_600)).toBe(0);
  });

  it('overshoots by at most what the other node admitted before its sync', () => {
    const store = new CountsInMemory();
    const a = new ClusterRateLimiter();
    const b = new ClusterRateLimiter();
    // both blind to each other within one interval: each admits the whole limit
    expect(takeMany(a, [IP], 20, 1_000) + takeMany(b, [IP], 20, 1_000)).toBe(20);
    sync(a, store, 1_100);
    sync(b, store, 1_100);
    sync(a, store, 1_200);

    expect(takeMany(a, [IP], 5, 1_300) + takeMany(b, [IP], 5, 1_300)).toBe(0);
  });

  it('sends only new events, each once', () => {
    const limiter = new ClusterRateLimiter();
    takeMany(limiter, [IP, ROOM], 2, 1_000);

    expect(limiter.drain(1_100)).toEqual([
      { key: IP.key, window: 0, delta: 2 },
      { key: ROOM.key, window: 0, delta: 2 },
    ]);
    expect(limiter.drain(1_200)).toEqual([]);
  });

  it('keeps counting its own events when the store was unreachable', () => {
    const limiter = new ClusterRateLimiter();
    takeMany(limiter, [IP], 6, 1_000);
    limiter.drain(1_100); // the send failed: nothing reconciled

    expect(takeMany(limiter, [IP], 10, 1_200)).toBe(4);
  });

  it('carries the cluster count into the next window as its previous count', () => {
    const store = new CountsInMemory();
    const a = new ClusterRateLimiter();
    const b = new ClusterRateLimiter();
    takeMany(a, [IP], 8, 9_000);
    takeMany(b, [IP], 1, 9_000);
    sync(a, store, 9_100);
    sync(b, store, 9_100);

    // 15 s: half of the previous window's 9 still counts on b, which saw only 1 itself
    expect(takeMany(b, [IP], 10, 15_000)).toBe(5);
  });

  it('sends events of a window that ended before its sync to that window', () => {
    const store = new CountsInMemory();
    const a = new ClusterRateLimiter();
    const b = new ClusterRateLimiter();
    takeMany(b, [IP], 1, 9_000);
    sync(b, store, 9_000);
    takeMany(a, [IP], 8, 9_990);
    takeMany(a, [IP], 1, 10_010);
    const batch = a.drain(10_050);

    expect(batch).toEqual([
      { key: IP.key, window: 0, delta: 8 },
      { key: IP.key, window: 1, delta: 1 },
    ]);
    a.reconcile(batch, store.add(batch));
    takeMany(b, [IP], 1, 10_100);
    sync(b, store, 10_100);
    // b now knows the previous window held 9 and this one 2
    expect(takeMany(b, [IP], 10, 10_100)).toBe(0);
  });

  it('forgets keys two windows after their last event', () => {
    const limiter = new ClusterRateLimiter();
    takeMany(limiter, [IP], 3, 1_000);
    limiter.drain(1_100);
    limiter.drain(11_000);
    expect(limiter.size).toBe(1);

    limiter.drain(21_000);
    expect(limiter.size).toBe(0);
  });
});

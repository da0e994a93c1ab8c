import { ConnectionAttemptLimiter } from './connection-attempt-limiter';
import { RateLimitStore, WindowCounts, WindowIncrement } from './rate-limit-store';

class StoreInMemory extends RateLimitStore {
  up = true;
  private readonly counts = new Map<string, number>();

  async add(increments: readonly WindowIncrement[]): Promise<WindowCounts[]> {
    if (!this.up) throw new Error('connection refused');
    return increments.map(({ key, window, delta }) => {
      const current = (this.counts.get(`${key}/${window}`) ?? 0) + delta;
      this.counts.set(`${key}/${window}`, current);
      return { current, previous: this.counts.get(`${key}/${window - 1}`) ?? 0 };
    });
  }
}

async function attempts(limiter: ConnectionAttemptLimiter, subject: string, count: number): Promise<boolean[]> {
  const results: boolean[] = [];
  for (let i = 0; i < count; i++) results.push((await limiter.attempt(subject)).allowed);
  return results;
}

describe(ConnectionAttemptLimiter.name, () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('refuses the attempt after the limit, counted in the shared store by every node', async () => {
    const store = new StoreInMemory();
    const nodeA = new ConnectionAttemptLimiter(store, 3, clock);
    const nodeB = new ConnectionAttemptLimiter(store, 3, clock);

    expect([...(await attempts(nodeA, '203.0.113.7', 2)), ...(await attempts(nodeB, '203.0.113.7', 2))]).toEqual([true, true, true, false]);
  });

  it('describes an attempt for a join that counts it, in the same counter attempt() adds to', () => {
    const limiter = new ConnectionAttemptLimiter(new StoreInMemory(), 3, clock, 10_000);

    expect(limiter.attemptWithJoin('203.0.113.7')).toEqual({ key: 'conn:203.0.113.7', limit: 3, at: 1_000, windowMs: 10_000 });
    expect(new ConnectionAttemptLimiter(new StoreInMemory(), 0, clock).attemptWithJoin('203.0.113.7')).toBeNull();
  });

  it('counts each address apart', async () => {
    const limiter = new ConnectionAttemptLimiter(new StoreInMemory(), 1, clock);

    expect(await attempts(limiter, '203.0.113.7', 1)).toEqual([true]);
    expect(await attempts(limiter, '198.51.100.1', 1)).toEqual([true]);
  });

  it('keeps refusing a client that retries without slowing down', async () => {
    const limiter = new ConnectionAttemptLimiter(new StoreInMemory(), 2, clock);
    await attempts(limiter, 'a', 6);
    now = 12_000; // 6 attempts in the previous window, 90% of them still count

    expect(await attempts(limiter, 'a', 1)).toEqual([false]);
  });

  it('admits again once the window has passed', async () => {
    const limiter = new ConnectionAttemptLimiter(new StoreInMemory(), 2, clock);
    await attempts(limiter, 'a', 3);
    now = 21_000;

    expect(await attempts(limiter, 'a', 1)).toEqual([true]);
  });

  it('falls back to counting on this node while the store is unreachable', async () => {
    const store = new StoreInMemory();
    store.up = false;
    const limiter = new ConnectionAttemptLimiter(store, 2, clock);

    expect(await attempts(limiter, 'a', 3)).toEqual([true, true, false]);
    expect(await limiter.attempt('b')).toEqual({ allowed: true, shared: false });
  });

  it('treats limit 0 as no limit without asking the store', async () => {
    const store = new StoreInMemory();
    store.up = false;
    const limiter = new ConnectionAttemptLimiter(store, 0, clock);

    expect(await limiter.attempt('a')).toEqual({ allowed: true, shared: true });
  });
});

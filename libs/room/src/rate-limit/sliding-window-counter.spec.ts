import { SlidingWindowCounter } from './sliding-window-counter';

describe(SlidingWindowCounter.name, () => {
  it('admits up to the limit within a window and refuses the next', () => {
    const counter = new SlidingWindowCounter();
    const results = Array.from({ length: 4 }, () => counter.tryTake(3, 1_000));

    expect(results).toEqual([true, true, true, false]);
  });

  it('does not count refused events', () => {
    const counter = new SlidingWindowCounter();
    for (let i = 0; i < 10; i++) counter.tryTake(2, 1_000);

    // the previous window held 2 (not 10): a quarter of it still counts at 17.5 s
    expect(counter.tryTake(2, 17_500)).toBe(true);
    expect(counter.tryTake(2, 17_500)).toBe(false);
  });

  it('lets a burst straddling a window boundary through only once', () => {
    const counter = new SlidingWindowCounter();
    for (let i = 0; i < 5; i++) counter.tryTake(5, 9_900);

    expect(counter.tryTake(5, 10_100)).toBe(false);
  });

  it('forgets everything two windows later', () => {
    const counter = new SlidingWindowCounter();
    for (let i = 0; i < 5; i++) counter.tryTake(5, 1_000);

    expect(counter.isIdle(21_000)).toBe(true);
    expect(counter.tryTake(5, 21_000)).toBe(true);
  });

  it('is not idle while its events are within the last window', () => {
    const counter = new SlidingWindowCounter();
    counter.tryTake(5, 9_000);

    expect(counter.isIdle(15_000)).toBe(false);
  });

  it('treats limit 0 as no limit', () => {
    const counter = new SlidingWindowCounter();

    expect(Array.from({ length: 1_000 }, () => counter.tryTake(0, 1_000)).every(Boolean)).toBe(true);
  });

  it('hit counts refused attempts too', () => {
    const counter = new SlidingWindowCounter();
    const results = Array.from({ length: 4 }, () => counter.hit(2, 1_000));

    expect(results).toEqual([true, true, false, false]);
    // 4 counted: at 15 s half of them still count, so one more fits under 3 but not two
    expect(counter.hit(3, 15_000)).toBe(true);
    expect(counter.hit(3, 15_000)).toBe(false);
  });
});

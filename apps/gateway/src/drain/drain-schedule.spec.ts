import { drainSchedule } from './drain-schedule';

describe(drainSchedule.name, () => {
  it('has nothing to do without peers', () => {
    expect(drainSchedule(0, 5_000)).toEqual([]);
  });

  it('closes every peer at once when there is no time to spread', () => {
    expect(drainSchedule(7, 0)).toEqual([{ atMs: 0, count: 7 }]);
  });

  it('closes a few peers one by one across the spread, the last at its end', () => {
    expect(drainSchedule(3, 1_000)).toEqual([
      { atMs: 0, count: 1 },
      { atMs: 500, count: 1 },
      { atMs: 1_000, count: 1 },
    ]);
  });

  it('groups many peers into steps at least 50 ms apart, closing each peer once', () => {
    const steps = drainSchedule(10_000, 5_000);

    expect(steps).toHaveLength(101);
    expect(steps.reduce((sum, step) => sum + step.count, 0)).toBe(10_000);
    expect(steps[1].atMs - steps[0].atMs).toBe(50);
    expect(steps[steps.length - 1].atMs).toBe(5_000);
    expect(Math.max(...steps.map((s) => s.count)) - Math.min(...steps.map((s) => s.count))).toBeLessThanOrEqual(1);
  });
});

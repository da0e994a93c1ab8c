import { HeartbeatSchedule } from './heartbeat-schedule';

function visitsIn(schedule: HeartbeatSchedule<string>, from: number, to: number, step: number, stays: (entry: string) => boolean = () => true): Array<[number, string]> {
  const visits: Array<[number, string]> = [];
  for (let now = from; now <= to; now += step) {
    schedule.runDue(now, (entry) => {
      visits.push([now, entry]);
      return stays(entry);
    });
  }
  return visits;
}

describe(HeartbeatSchedule.name, () => {
  it('visits each entry one interval after it was added, then every interval', () => {
    const schedule = new HeartbeatSchedule<string>(1_000);
    schedule.add('a', 0);
    schedule.add('b', 300);

    expect(visitsIn(schedule, 0, 3_000, 50)).toEqual([
      [1_000, 'a'],
      [1_300, 'b'],
      [2_000, 'a'],
      [2_300, 'b'],
      [3_000, 'a'],
    ]);
  });

  it('spreads the visits of entries added over an interval across that interval', () => {
    const schedule = new HeartbeatSchedule<string>(10_000);
    for (let i = 0; i < 19_000; i++) schedule.add(`p${i}`, 1 + Math.floor((i * 10_000) / 19_000));
    const perTick = new Map<number, number>();
    for (const [now] of visitsIn(schedule, 10_000, 20_000, 50)) perTick.set(now, (perTick.get(now) ?? 0) + 1);

    expect([...perTick.values()].reduce((a, b) => a + b, 0)).toBe(19_000);
    // 19,000 over 200 ticks: 95 a tick, where one pass pinged all 19,000 at once
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(96);
  });

  it('keeps an entry one whole interval between two visits, also when entries before it leave', () => {
    const schedule = new HeartbeatSchedule<string>(1_000);
    for (let i = 0; i < 100; i++) schedule.add(`p${i}`, i * 10);
    const gone = new Set(Array.from({ length: 99 }, (_, i) => `p${i}`));
    const visits = visitsIn(schedule, 0, 4_000, 10, (entry) => !gone.has(entry)).filter(([, entry]) => entry === 'p99');

    expect(visits.map(([now]) => now)).toEqual([1_990, 2_990, 3_990]);
  });

  it('drops an entry whose visit says it is gone, and visits nothing twice in one run', () => {
    const schedule = new HeartbeatSchedule<string>(1_000);
    schedule.add('a', 0);
    schedule.add('b', 0);

    expect(visitsIn(schedule, 5_000, 5_000, 1, (entry) => entry === 'a')).toEqual([
      [5_000, 'a'],
      [5_000, 'b'],
    ]);
    expect(schedule.size).toBe(1);
    expect(visitsIn(schedule, 6_000, 6_000, 1)).toEqual([[6_000, 'a']]);
  });

  it('says when the first entry comes due, gone ones included', () => {
    const schedule = new HeartbeatSchedule<string>(1_000);
    expect(schedule.nextDue()).toBeUndefined();
    schedule.add('a', 0);
    schedule.add('b', 300);
    expect(schedule.nextDue()).toBe(1_000);
    schedule.runDue(1_000, () => false);
    expect(schedule.nextDue()).toBe(1_300);
    schedule.runDue(1_300, () => false);
    expect(schedule.nextDue()).toBeUndefined();
  });
});

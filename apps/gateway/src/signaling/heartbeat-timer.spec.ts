import { HEARTBEAT_TICK_MS, HeartbeatSchedule } from './heartbeat-schedule';
import { HeartbeatTimer } from './heartbeat-timer';

describe(HeartbeatTimer.name, () => {
  let visits: Array<[number, string]>;
  let gone: Set<string>;
  let timer: HeartbeatTimer<string>;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    visits = [];
    gone = new Set();
    timer = new HeartbeatTimer(new HeartbeatSchedule<string>(1_000), (entry) => {
      visits.push([Date.now(), entry]);
      return !gone.has(entry);
    });
  });

  afterEach(() => {
    timer.stop();
    jest.useRealTimers();
  });

  it('sets no timer while nothing is scheduled', () => {
    expect(jest.getTimerCount()).toBe(0);
  });

  it('wakes when an entry comes due, not every tick between', () => {
    timer.add('a');
    jest.advanceTimersByTime(999);
    expect(visits).toEqual([]);
    // one timer at a time, each set for the next due visit
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(2_001);
    expect(visits).toEqual([
      [1_000, 'a'],
      [2_000, 'a'],
      [3_000, 'a'],
    ]);
  });

  it('takes entries due close together in one run, runs at least a tick apart', () => {
    for (let i = 0; i < 10; i++) {
      timer.add(`p${i}`);
      jest.advanceTimersByTime(10);
    }
    // due at 1,000 to 1,090: runs at 1,000, 1,050 and 1,100
    jest.advanceTimersByTime(1_100 - 100);
    const runs = [...new Set(visits.map(([at]) => at))];
    expect(runs).toEqual([1_000, 1_000 + HEARTBEAT_TICK_MS, 1_000 + 2 * HEARTBEAT_TICK_MS]);
    expect(visits.map(([, entry]) => entry)).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`));
  });

  it('sets no timer once every entry is gone', () => {
    timer.add('a');
    timer.add('b');
    gone.add('a').add('b');
    jest.advanceTimersByTime(1_000);
    expect(visits.map(([, entry]) => entry)).toEqual(['a', 'b']);
    expect(jest.getTimerCount()).toBe(0);
    timer.add('c');
    jest.advanceTimersByTime(1_000);
    expect(visits.at(-1)).toEqual([2_000, 'c']);
  });

  it('keeps visiting the other entries after a visit throws', () => {
    const throwing = new HeartbeatTimer(new HeartbeatSchedule<string>(1_000), (entry) => {
      if (entry === 'x') throw new Error('a bug in one visit');
      visits.push([Date.now(), entry]);
      return true;
    });
    throwing.add('x');
    jest.advanceTimersByTime(100);
    throwing.add('y');
    expect(() => jest.advanceTimersByTime(900)).toThrow('a bug in one visit');
    jest.advanceTimersByTime(2_100);
    throwing.stop();
    expect(visits).toEqual([
      [1_100, 'y'],
      [2_100, 'y'],
      [3_100, 'y'],
    ]);
  });

  it('visits nothing after stop', () => {
    timer.add('a');
    timer.stop();
    timer.add('b');
    jest.advanceTimersByTime(5_000);
    expect(visits).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });
});

import { HeartbeatContinuity } from './heartbeat-continuity';

const INTERVAL = 1_000;
const TTL = 3_000;

function continuity(): { clock: { t: number }; judge: HeartbeatContinuity } {
  const clock = { t: 0 };
  return { clock, judge: new HeartbeatContinuity({ heartbeatIntervalMs: INTERVAL, nodeTtlMs: TTL }, () => clock.t) };
}

function beatEvery(judge: HeartbeatContinuity, clock: { t: number }, count: number, interval = INTERVAL): void {
  for (let i = 0; i < count; i++) {
    clock.t += interval;
    judge.beat();
  }
}

describe(HeartbeatContinuity.name, () => {
  it('does not judge before its first beat, nor before a TTL plus an interval of steady beats', () => {
    const { clock, judge } = continuity();
    expect(judge.mayJudgeOthers()).toBe(false);
    judge.beat();
    beatEvery(judge, clock, 3);
    expect(judge.mayJudgeOthers()).toBe(false);
    beatEvery(judge, clock, 1);
    expect(judge.mayJudgeOthers()).toBe(true);
  });

  it('waits again after a failed beat (Redis away), however long it ran steadily before', () => {
    const { clock, judge } = continuity();
    beatEvery(judge, clock, 10);
    expect(judge.mayJudgeOthers()).toBe(true);
    clock.t += INTERVAL;
    judge.missed();
    expect(judge.mayJudgeOthers()).toBe(false);
    beatEvery(judge, clock, 4);
    expect(judge.mayJudgeOthers()).toBe(false);
    beatEvery(judge, clock, 1);
    expect(judge.mayJudgeOthers()).toBe(true);
  });

  it('treats a beat more than two intervals late (a paused process, a frozen Redis) as a gap', () => {
    const { clock, judge } = continuity();
    beatEvery(judge, clock, 10);
    clock.t += 2 * INTERVAL + 1;
    judge.beat();
    expect(judge.mayJudgeOthers()).toBe(false);
    beatEvery(judge, clock, 4);
    expect(judge.mayJudgeOthers()).toBe(true);
  });

  it('keeps judging through beats that are late by less than two intervals', () => {
    const { clock, judge } = continuity();
    beatEvery(judge, clock, 5);
    beatEvery(judge, clock, 3, 2 * INTERVAL);
    expect(judge.mayJudgeOthers()).toBe(true);
  });
});

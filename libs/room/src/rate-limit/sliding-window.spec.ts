import { slidingEstimate, windowOf } from './sliding-window';

describe('slidingEstimate', () => {
  it('aligns windows on the epoch, so every node names the same window', () => {
    expect(windowOf(1_700_000_009_999)).toBe(170_000_000);
    expect(windowOf(1_700_000_010_000)).toBe(170_000_001);
  });

  it('counts the whole previous window at its end', () => {
    expect(slidingEstimate(40, 0, 20_000)).toBe(40);
  });

  it('weights the previous window by the part still within the last 10 s', () => {
    expect(slidingEstimate(40, 5, 22_500)).toBe(35);
  });

  it('counts only the current window when the previous one is empty', () => {
    expect(slidingEstimate(0, 7, 29_999)).toBe(7);
  });
});

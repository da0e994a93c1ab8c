import { answerWithin, settleWithin, TIMED_OUT } from './settle-within';

describe('settleWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("gives the work's result when it settles in time, and its rejection", async () => {
    const answer = settleWithin(new Promise<string>((resolve) => setTimeout(resolve, 999, 'answer')), 1_000);
    await jest.advanceTimersByTimeAsync(999);
    await expect(answer).resolves.toBe('answer');
    await expect(settleWithin(Promise.reject(new Error('refused')), 1_000)).rejects.toThrow('refused');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('gives TIMED_OUT when the time runs out first, and clears its timer either way', async () => {
    let finished = false;
    const slow = new Promise<void>((resolve) => setTimeout(resolve, 5_000)).then(() => {
      finished = true;
    });
    let outcome: unknown = 'pending';
    void settleWithin(slow, 1_000).then((value) => (outcome = value));
    await jest.advanceTimersByTimeAsync(999);
    expect(outcome).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome).toBe(TIMED_OUT);
    // only the slow work's own timer is left
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(4_000);
    expect(finished).toBe(true);
  });

  it('answerWithin rejects with "no answer within" when the time runs out first', async () => {
    const late = answerWithin(new Promise<string>((resolve) => setTimeout(resolve, 2_000, 'late')), 1_000);
    const check = expect(late).rejects.toThrow('no answer within 1000 ms');
    await jest.advanceTimersByTimeAsync(1_000);
    await check;
    const early = answerWithin(new Promise<string>((resolve) => setTimeout(resolve, 10, 'early')), 1_000);
    await jest.advanceTimersByTimeAsync(10);
    await expect(early).resolves.toBe('early');
    await jest.advanceTimersByTimeAsync(2_000);
  });
});

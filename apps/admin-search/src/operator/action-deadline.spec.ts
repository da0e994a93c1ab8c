import { TIMED_OUT } from '@sg/platform';
import { ActionDeadline } from './action-deadline';

describe('ActionDeadline', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('counts down from its budget, less a reserve, never below zero', () => {
    const deadline = new ActionDeadline(2_900);
    expect(deadline.remainingMs()).toBe(2_900);
    expect(deadline.remainingMs(100)).toBe(2_800);
    jest.advanceTimersByTime(2_850);
    expect(deadline.remainingMs()).toBe(50);
    expect(deadline.remainingMs(100)).toBe(0);
    jest.advanceTimersByTime(1_000);
    expect(deadline.remainingMs()).toBe(0);
  });

  it('gives the work its result when it settles in time, and its rejection', async () => {
    const deadline = new ActionDeadline(1_000);
    const answer = new Promise<string>((resolve) => setTimeout(resolve, 999, 'answer'));
    const settled = deadline.within(answer);
    await jest.advanceTimersByTimeAsync(999);
    await expect(settled).resolves.toBe('answer');
    await expect(deadline.within(Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });

  it('gives TIMED_OUT at the deadline while the work goes on, and a later rejection is not left unhandled', async () => {
    const deadline = new ActionDeadline(1_000);
    let finished = false;
    const slow = new Promise<void>((resolve) => setTimeout(resolve, 5_000)).then(() => {
      finished = true;
    });
    const settled = deadline.within(slow);
    await jest.advanceTimersByTimeAsync(999);
    let outcome: unknown = 'pending';
    void settled.then((value) => (outcome = value));
    await Promise.resolve();
    expect(outcome).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome).toBe(TIMED_OUT);
    expect(finished).toBe(false);
    await jest.advanceTimersByTimeAsync(4_000);
    expect(finished).toBe(true);

    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const failing = new Promise<void>((_resolve, reject) => setTimeout(reject, 10, new Error('too late to matter')));
      // past the deadline: TIMED_OUT at once, the rejection after it
      const settledLate = deadline.within(failing);
      await jest.advanceTimersByTimeAsync(0);
      await expect(settledLate).resolves.toBe(TIMED_OUT);
      await jest.advanceTimersByTimeAsync(10);
      // Node reports an unhandled rejection once the microtasks after it have run
      jest.useRealTimers();
      await new Promise<void>((resolve) => setTimeout(resolve, 20));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

/** What `settleWithin` gives when the time ran out first. */
export const TIMED_OUT = Symbol('timed out');

/**
 * `work`'s result (or its rejection), or TIMED_OUT once `ms` pass first. The timer is cleared
 * either way. Late work goes on and its outcome is dropped, a rejection too: the race has
 * handled it, so it is never reported as unhandled.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMED_OUT);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** `work`'s result, or a rejection `no answer within MS ms` once `ms` pass first (`settleWithin`). */
export async function answerWithin<T>(work: Promise<T>, ms: number): Promise<T> {
  const value = await settleWithin(work, ms);
  if (value === TIMED_OUT) throw new Error(`no answer within ${ms} ms`);
  return value;
}

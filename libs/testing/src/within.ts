/**
 * The promise's value, or null when it takes longer than `ms`. The timer is cleared either way,
 * so a test that finishes early leaves nothing pending that would keep Jest from exiting.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

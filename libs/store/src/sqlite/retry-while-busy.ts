/** How long a connection waits behind another's lock (`busy_timeout`), and retries a BUSY answered at once. */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Runs `step` again while it fails with SQLITE_BUSY, for up to `timeoutMs`, pausing the thread
 * `pauseMs` between tries. For the few steps SQLite answers BUSY at once instead of waiting in
 * its busy handler: opening a WAL database while another process is setting up its shared
 * memory (the indexer and admin-search start together on one file), or a search worker's
 * first read at that moment.
 */
export function retryWhileBusy<T>(step: () => T, timeoutMs: number, pauseMs = 20): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return step();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      // a constructor cannot await: a short blocking pause, only ever at start-up or in a search worker's own thread
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pauseMs);
    }
  }
}

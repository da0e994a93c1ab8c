/**
 * Runs `step` again while it fails with SQLITE_BUSY, for up to `timeoutMs`, pausing the thread
 * `pauseMs` between tries. For the few steps SQLite answers BUSY at once instead of waiting in
 * its busy handler: opening a WAL database while another process is setting up its shared
 * memory (the indexer and admin-search start together on one file).
 */
export function retryWhileBusy<T>(step: () => T, timeoutMs: number, pauseMs = 20): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return step();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      // a constructor cannot await: a short blocking pause, only ever at start-up
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pauseMs);
    }
  }
}

import { performance } from 'node:perf_hooks';

/**
 * Calls `send(i)` for i = 0..total-1 on a fixed schedule (open loop, 1 ms ticks),
 * so a slow Redis shows as latency rather than as a slower publisher.
 */
export function publishAtRate(rate: number, durationMs: number, send: (i: number) => void): Promise<number> {
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const start = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
      while (sent < due) send(sent++);
      if (sent >= total) resolve(sent);
      else setTimeout(tick, 1);
    };
    tick();
  });
}

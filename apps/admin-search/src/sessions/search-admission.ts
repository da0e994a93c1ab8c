/** Why a search was not run to its end; admin-search answers both with 503 (PROTOCOL section 3, "Limits"). */
export class SearchTimedOutError extends Error {
  constructor(readonly timeoutMs: number) {
    super('search timed out');
  }
}

export class SearchQueueFullError extends Error {
  constructor() {
    super('too many searches at once: try again shortly');
  }
}

export interface SearchAdmissionLimits {
  /** Searches running at once (the SQLite store has one worker per running search). */
  readonly concurrency: number;
  /** Searches waiting for a turn; one more is refused at once. */
  readonly queueMax: number;
  /** From admission to answer, waiting included: past it the search is aborted. */
  readonly timeoutMs: number;
}

/**
 * Bounds the searches admin-search runs: at most `concurrency` at once, at most `queueMax`
 * waiting, and each one cancelled (its signal aborted, the caller answered) at `timeoutMs`,
 * so no search holds a worker or a client longer than `SEARCH_TIMEOUT_MS`.
 */
export class SearchAdmission {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limits: SearchAdmissionLimits) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `search` when a turn is free; rejects with `SearchQueueFullError` or `SearchTimedOutError`. */
  run<T>(search: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.active >= this.limits.concurrency && this.waiting.length >= this.limits.queueMax) {
      return Promise.reject(new SearchQueueFullError());
    }
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done();
      };
      const start = () => {
        this.active++;
        // the turn is given back only when the store has let go of the search, so the bound holds
        // even while a cancelled worker is being replaced
        search(controller.signal)
          .then(
            (value) => settle(() => resolve(value)),
            (error: unknown) => settle(() => reject(error)),
          )
          .finally(() => {
            this.active--;
            this.waiting.shift()?.();
          });
      };
      const timer = setTimeout(() => {
        const queuedAt = this.waiting.indexOf(start);
        if (queuedAt >= 0) this.waiting.splice(queuedAt, 1);
        controller.abort();
        settle(() => reject(new SearchTimedOutError(this.limits.timeoutMs)));
      }, this.limits.timeoutMs);
      if (this.active < this.limits.concurrency) start();
      else this.waiting.push(start);
    });
  }
}

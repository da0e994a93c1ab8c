import { settleWithin, TIMED_OUT } from '@sg/platform';

/**
 * The one time budget of an operator action (PROTOCOL section 3: 504 when the node does not
 * answer within 3 s). Every step of the action (directory read, the node's answer, the
 * action-log write) takes from it, so a slow Redis cannot push the answer past the budget.
 */
export class ActionDeadline {
  private readonly endsAt: number;

  constructor(
    budgetMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.endsAt = now() + budgetMs;
  }

  /** Milliseconds left, less `reserveMs` kept for later steps; never below zero. */
  remainingMs(reserveMs = 0): number {
    return Math.max(0, this.endsAt - reserveMs - this.now());
  }

  /** `work`'s result, or TIMED_OUT once the deadline passes first (`settleWithin`): the caller answers in time, late work goes on. */
  within<T>(work: Promise<T>): Promise<T | typeof TIMED_OUT> {
    return settleWithin(work, this.remainingMs());
  }
}

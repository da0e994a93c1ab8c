/** What `ActionDeadline.within` gives when the deadline came first. */
export const LATE = Symbol('late');

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

  /**
   * `work`'s result, or LATE once the deadline passes first. Late work goes on and its
   * outcome is dropped here (a rejection too: the race has handled it), so the caller
   * answers in time and, e.g., an action-log write still lands once Redis answers.
   */
  async within<T>(work: Promise<T>): Promise<T | typeof LATE> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(resolve, this.remainingMs(), LATE);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

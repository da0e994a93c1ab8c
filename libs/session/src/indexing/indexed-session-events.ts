/**
 * A batch the indexer has written but whose entries are not acknowledged yet: what it
 * reports for metrics once they are (`SessionIndexer.acknowledged`). A class, so the
 * transport's consumer can tell it from any other handler result.
 */
export class IndexedSessionEvents {
  constructor(
    /** Stream entries of the batch. */
    readonly entries: number,
    /** Gateway time (Unix ms) of each valid event of the batch. */
    readonly eventTimes: readonly number[],
  ) {}

  get events(): number {
    return this.eventTimes.length;
  }
}

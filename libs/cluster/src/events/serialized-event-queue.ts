const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const INITIAL_BYTES = 16 * 1024;
/** Byte 0 is kept for the opening bracket of the batch a write sends: events start after it. */
const FIRST_EVENT_AT = 1;
/** A buffer grown during an outage shrinks back once this much of it is unused. */
const SHRINK_FROM_BYTES = 1024 * 1024;
const DROPPED_REMOVED_TOGETHER = 1024;

/**
 * One shard's session events waiting to be written, oldest first, kept as their JSON bytes
 * from the moment they are recorded: `?{event},{event},` in one growable buffer outside the
 * JS heap, with each event's end offset and sequence number.
 *
 * Why bytes: at high rates an event waits up to a write's round trip for its flush, which
 * outlives two scavenges, so event objects (and the one string of a batch's command, past
 * V8's large-object size) were promoted to the old generation at megabytes a second and
 * collected by full GCs: the relay's tail (docs/benchmarks.md). Serialised at once, an event
 * object dies young, and the batch a write sends is a view of this buffer, not a copy: V8
 * counts external bytes allocated since the last full GC toward starting the next one.
 * For that view the spare byte 0 becomes `[` and the last event's comma `]`; the view's
 * bytes stay as they are until the write settles (new events go after them, and a buffer
 * that grows meanwhile is a new one), and a failed write's comma is put back.
 *
 * The head `inFlight` events are covered by the write under way and stay until it settles.
 * Events dropped for the buffer bound are the oldest after those; their bytes are removed
 * once the write settles (`settle`), so a drop costs no copy while one is under way.
 */
export class SerializedEventQueue {
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = FIRST_EVENT_AT;
  /** `ends[i]`: offset just past event i's bytes (its trailing comma included). */
  private readonly ends: number[] = [];
  /** `seqs[i]` numbers event i: increasing per shard, kept across retries. */
  private readonly seqs: number[] = [];
  private nextSeq = 1;
  /** Events at the head that the write under way covers: never dropped meanwhile. */
  private inFlight = 0;
  /** Events right after the in-flight ones that were dropped and await removal. */
  private droppedAfterInFlight = 0;

  /** Events waiting, dropped ones not counted. */
  get length(): number {
    return this.ends.length - this.droppedAfterInFlight;
  }

  /** Appends one event's JSON text (`JSON.stringify` of the event) and numbers it. */
  push(json: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit, and 1 for the comma
    this.reserve(json.length * 3 + 1);
    this.used += this.bytes.write(json, this.used, 'utf8');
    this.bytes[this.used++] = COMMA;
    this.ends.push(this.used);
    this.seqs.push(this.nextSeq++);
  }

  /**
   * Marks the head `max` events (or fewer) as the write under way's and returns them as a JSON
   * array and their comma-separated sequence numbers; null when nothing waits.
   */
  take(max: number): { readonly batch: Buffer; readonly seqs: string } | null {
    this.removeDroppedHead();
    const count = Math.min(this.ends.length, max);
    if (count === 0) return null;
    this.inFlight = count;
    const end = this.ends[count - 1];
    this.bytes[0] = OPEN_BRACKET;
    this.bytes[end - 1] = CLOSE_BRACKET;
    return { batch: this.bytes.subarray(0, end), seqs: this.seqs.slice(0, count).join(',') };
  }

  /** The write under way settled: on success its events go, otherwise they stay at the head for the next. Returns how many went. */
  settle(written: boolean): number {
    const count = written ? this.inFlight : 0;
    if (!written && this.inFlight > 0) this.bytes[this.ends[this.inFlight - 1] - 1] = COMMA;
    if (written) this.removeRange(0, this.inFlight + this.droppedAfterInFlight);
    else this.removeRange(this.inFlight, this.droppedAfterInFlight);
    this.inFlight = 0;
    this.droppedAfterInFlight = 0;
    return count;
  }

  /** Drops the oldest event not in flight; false when every waiting event is in flight. */
  dropOldest(): boolean {
    if (this.inFlight + this.droppedAfterInFlight >= this.ends.length) return false;
    this.droppedAfterInFlight += 1;
    // at the bound every record drops one: their bytes go in bulk, not one copy per event
    if (this.inFlight === 0 && this.droppedAfterInFlight >= DROPPED_REMOVED_TOGETHER) this.removeDroppedHead();
    return true;
  }

  /** With no write under way the dropped events are the head: removes their bytes. */
  private removeDroppedHead(): void {
    if (this.inFlight > 0) return;
    this.removeRange(0, this.droppedAfterInFlight);
    this.droppedAfterInFlight = 0;
  }

  /** Removes `count` events starting at event `first`, moving the later ones' bytes down. */
  private removeRange(first: number, count: number): void {
    if (count === 0) return;
    const start = first === 0 ? FIRST_EVENT_AT : this.ends[first - 1];
    const end = this.ends[first + count - 1];
    const removed = end - start;
    this.bytes.copyWithin(start, end, this.used);
    this.used -= removed;
    this.ends.splice(first, count);
    this.seqs.splice(first, count);
    for (let i = first; i < this.ends.length; i++) this.ends[i] -= removed;
    if (this.bytes.length >= SHRINK_FROM_BYTES && this.used * 4 < this.bytes.length) this.resize(Math.max(INITIAL_BYTES, this.used * 2));
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.used + extra) size *= 2;
    this.resize(size);
  }

  private resize(size: number): void {
    const resized = Buffer.allocUnsafe(size);
    this.bytes.copy(resized, 0, 0, this.used);
    this.bytes = resized;
  }
}

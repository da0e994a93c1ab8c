import { setFlagsFromString } from 'node:v8';

/**
 * V8 starts marking the old generation by how far it has grown toward its limit since the
 * last full collection: as a background task past 70 %, at once past 90 %.
 *
 * Its default rule starts marking whenever the room left under the limit is smaller than
 * the young generation. A gateway holds about 38 MB of live heap (mostly loaded code), and
 * after a full collection V8 sets the limit about 24 MB above it; once a burst of large
 * frames has grown the young generation past that (3.4 KB offers at 2,000/s do), marking
 * ran again after every collection: a full collection every 0.6 s freeing 1 MB, marking
 * steps of up to 30 ms, and p99 relay latency of 15 to 25 ms instead of 2 to 4
 * (docs/benchmarks.md, "The old generation marked without end"). V8 reads these two flags
 * each time it decides, so setting them at start-up takes effect for the whole process.
 */
export const OLD_GENERATION_MARKING_FLAGS = ['--incremental-marking-soft-trigger=70', '--incremental-marking-hard-trigger=90'] as const;

/** Sets the flags, each unless the node command line set it already (an operator's choice wins). */
export function markOldGenerationByGrowth(execArgv: readonly string[] = process.execArgv): void {
  for (const flag of OLD_GENERATION_MARKING_FLAGS) {
    const name = flag.split('=')[0];
    if (!execArgv.some((arg) => arg === name || arg.startsWith(`${name}=`))) setFlagsFromString(flag);
  }
}

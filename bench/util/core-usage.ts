import { readFileSync } from 'node:fs';
import { clockTicksPerSecond } from './cpu-time';

/** Busy time of each core so far, in ns, from /proc/stat. */
export type CoreBusy = readonly number[];

export function readCoreBusy(): CoreBusy {
  const busy: number[] = [];
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    // user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait
    const fields = match[2].trim().split(/\s+/).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    busy[Number(match[1])] = ((total - fields[3] - fields[4]) * 1e9) / clockTicksPerSecond();
  }
  return busy;
}

/** Busy ns of `core` between two samples. */
export function coreBusyDelta(before: CoreBusy, after: CoreBusy, core: number): number {
  return (after[core] ?? 0) - (before[core] ?? 0);
}

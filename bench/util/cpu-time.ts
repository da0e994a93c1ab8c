import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** `getconf CLK_TCK`: the unit of utime/stime in /proc/<pid>/stat (100 on Linux). */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** A process's CPU time so far, two ways. */
export interface CpuSample {
  /** utime + stime from /proc/<pid>/stat, in ns (resolution 1/CLK_TCK s, 10 ms). */
  readonly statNs: number;
  /**
   * Sum over the process's threads of the first field of /proc/<pid>/task/<tid>/schedstat
   * (time on CPU in ns). Same quantity as statNs with ns resolution; undefined when the
   * kernel has no schedstat.
   */
  readonly schedNs: number | undefined;
}

/** Reads a process's CPU time; throws when the process is gone. */
export function readCpu(pid: number): CpuSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // comm (field 2) may hold spaces and parentheses: count fields after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { statNs: (ticks * 1e9) / clockTicksPerSecond(), schedNs: readSchedNs(pid) };
}

function readSchedNs(pid: number): number | undefined {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended between readdir and read
      }
    }
    return total;
  } catch {
    return undefined;
  }
}

/** CPU used between two samples, in ns: schedstat when both have it, else stat. */
export function cpuDeltaNs(before: CpuSample, after: CpuSample): number {
  if (before.schedNs !== undefined && after.schedNs !== undefined) return after.schedNs - before.schedNs;
  return after.statNs - before.statNs;
}

/** Sums the CPU of several processes. */
export function readCpuOfAll(pids: readonly number[]): CpuSample {
  let statNs = 0;
  let schedNs: number | undefined = 0;
  for (const pid of pids) {
    const sample = readCpu(pid);
    statNs += sample.statNs;
    schedNs = schedNs === undefined || sample.schedNs === undefined ? undefined : schedNs + sample.schedNs;
  }
  return { statNs, schedNs };
}

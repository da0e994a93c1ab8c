import { readdirSync, readFileSync } from 'node:fs';

/** A process's open-files limit (RLIMIT_NOFILE), as /proc/<pid>/limits shows it. */
export interface FdLimit {
  readonly soft: number;
  readonly hard: number;
}

/** RLIMIT_NOFILE of a running process; throws when it is gone. */
export function readFdLimit(pid: number | 'self'): FdLimit {
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  if (!match) throw new Error(`no "Max open files" in /proc/${pid}/limits`);
  const value = (text: string) => (text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text));
  return { soft: value(match[1]), hard: value(match[2]) };
}

/** File descriptors a process has open now (entries of /proc/<pid>/fd). */
export function countOpenFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return Number.NaN;
  }
}

export function showFdLimit(limit: FdLimit): string {
  const show = (n: number) => (Number.isFinite(n) ? String(n) : 'unlimited');
  return limit.soft === limit.hard ? show(limit.soft) : `${show(limit.soft)} (hard ${show(limit.hard)})`;
}

/**
 * The command line that runs `command args` with its open-files limit raised to `wanted`
 * where the kernel lets it: `ulimit -n` sets the soft and hard limits, which needs
 * CAP_SYS_RESOURCE to go above the hard one; without it, the soft limit is raised to the
 * hard one. Either way the program is exec'd, so the spawned pid is its own (taskset in
 * front keeps it too) and it inherits whatever limit was granted (readFdLimit tells which).
 */
export function withRaisedFdLimit(wanted: number, command: string, args: readonly string[]): [string, string[]] {
  const script = `ulimit -n ${wanted} 2>/dev/null || ulimit -S -n "$(ulimit -H -n)" 2>/dev/null || true; exec "$@"`;
  return ['bash', ['-c', script, 'bash', command, ...args]];
}

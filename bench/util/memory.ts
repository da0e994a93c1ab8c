import { readFileSync } from 'node:fs';

/** Resident set size of a process (VmRSS in /proc/<pid>/status), in bytes; throws when the process is gone. */
export function readRssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** The RSS of several processes, summed. */
export function readRssOfAll(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + readRssBytes(pid), 0);
}

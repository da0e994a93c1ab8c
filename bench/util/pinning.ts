import { execFileSync, spawnSync } from 'node:child_process';

let tasksetPresent: boolean | undefined;

/** True when `taskset` (util-linux) can pin processes to a core. */
export function hasTaskset(): boolean {
  if (tasksetPresent === undefined) {
    const probe = spawnSync('taskset', ['-c', '0', 'true']);
    tasksetPresent = !probe.error && probe.status === 0;
  }
  return tasksetPresent;
}

/** The command line that runs `command args` pinned to `core`, or unpinned without taskset. */
export function pinnedCommand(core: number, command: string, args: readonly string[]): [string, string[]] {
  // taskset execs the command, so the spawned pid is the pinned program itself
  return hasTaskset() ? ['taskset', ['-c', String(core), command, ...args]] : [command, [...args]];
}

/** Pins an already running process (and its threads) to `core`; false without taskset. */
export function pinProcess(pid: number, core: number): boolean {
  if (!hasTaskset()) return false;
  execFileSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' });
  return true;
}

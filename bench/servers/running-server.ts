import { LoadTarget } from '../load/load-target';
import { ManagedProcess } from '../util/managed-process';

/** Describes the processes of `processes` that have exited. */
export function describeDead(processes: readonly ManagedProcess[]): string[] {
  return processes.flatMap((proc) => {
    const status = proc.exitStatus();
    return status === undefined ? [] : [`${proc.name} (pid ${proc.pid}) ended: ${status}; log ${proc.logFile}:\n${proc.logTail(5)}`];
  });
}

/** A server under test, started and ready. */
export interface RunningServer {
  /** Short name used in tables: bare, peerjs, gateway-1, gateway-2, gateway-1-cluster, ... */
  readonly name: string;
  readonly description: string;
  readonly target: LoadTarget;
  /** Processes whose CPU counts as the server's (summed). */
  readonly serverPids: readonly number[];
  /** Reported separately when the server uses Redis. */
  readonly redisPid?: number;
  /** Every Redis process when there are several (a cluster's masters and replicas), CPU summed; else redisPid alone. */
  readonly redisPids?: readonly number[];
  /** Processes of this server that ended on their own, with how and their last log lines. */
  deadProcesses(): string[];
  stop(): Promise<void>;
}

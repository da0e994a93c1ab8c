import { LoadTarget } from '../load/load-target';

/** A server under test, started and ready. */
export interface RunningServer {
  /** Short name used in tables: bare, peerjs, gateway-1, gateway-2. */
  readonly name: string;
  readonly description: string;
  readonly target: LoadTarget;
  /** Processes whose CPU counts as the server's (summed). */
  readonly serverPids: readonly number[];
  /** Reported separately when the server uses Redis. */
  readonly redisPid?: number;
  stop(): Promise<void>;
}

import { coreBusyDelta, CoreBusy, readCoreBusy } from './core-usage';
import { readCpuOfAll } from './cpu-time';

/**
 * Measures CPU that processes outside the bench use on the two cores it pins to: on a
 * shared 2-core machine a build or a test run next door would otherwise pass for
 * server cost or latency.
 */
export class OtherLoadProbe {
  private cores: CoreBusy = [];
  private serverNs = 0;
  private loadSideNs = 0;
  private startedNs = 0n;

  constructor(
    private readonly serverCore: number,
    private readonly loadCore: number,
    private readonly serverPids: readonly number[],
    private readonly loadSidePids: readonly number[],
  ) {}

  start(): void {
    this.cores = readCoreBusy();
    this.serverNs = readCpuOfAll(this.serverPids).statNs;
    this.loadSideNs = readCpuOfAll(this.loadSidePids).statNs;
    this.startedNs = process.hrtime.bigint();
  }

  /** Since start(): the larger, over the two cores, of the busy share not due to the bench's processes. */
  otherShare(): number {
    return this.shares().other;
  }

  /**
   * Since start(), from one read: how busy the server's and the load's core were (every
   * process on them, 0 to 1), and otherShare().
   */
  shares(): { serverCore: number; loadCore: number; other: number } {
    const wallNs = Number(process.hrtime.bigint() - this.startedNs);
    const cores = readCoreBusy();
    const serverNs = readCpuOfAll(this.serverPids).statNs - this.serverNs;
    const loadSideNs = readCpuOfAll(this.loadSidePids).statNs - this.loadSideNs;
    const serverCoreNs = coreBusyDelta(this.cores, cores, this.serverCore);
    const loadCoreNs = coreBusyDelta(this.cores, cores, this.loadCore);
    return {
      serverCore: serverCoreNs / wallNs,
      loadCore: loadCoreNs / wallNs,
      other: Math.max(0, (serverCoreNs - serverNs) / wallNs, (loadCoreNs - loadSideNs) / wallNs),
    };
  }

  /** Waits until a 500 ms sample shows at most `maxShare` of other work, or `timeoutMs` passed. */
  async waitForQuiet(maxShare: number, timeoutMs: number): Promise<{ waitedMs: number; share: number }> {
    const started = Date.now();
    for (;;) {
      this.start();
      await new Promise((r) => setTimeout(r, 500));
      const share = this.otherShare();
      if (share <= maxShare || Date.now() - started >= timeoutMs) return { waitedMs: Date.now() - started, share };
    }
  }
}

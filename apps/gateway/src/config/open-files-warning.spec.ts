import { openFilesWarning, softOpenFilesLimit } from './open-files-warning';

// /proc/self/limits of a process started under `ulimit -Sn 1100` with a hard limit of 524288
const PROC_LIMITS = `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max stack size            8388608              unlimited            bytes     
Max processes             96362                96362                processes 
Max open files            1100                 524288               files     
Max locked memory         8388608              8388608              bytes     
`;

function config(maxConnections: number, probe = { enabled: true, maxConcurrent: 20 }) {
  return {
    limits: { messageMaxBytes: 65_536, backpressureThresholdBytes: 1_048_576, maxConnections },
    probe: { ...probe, maxSeconds: 30, iceAddress: undefined },
  };
}

describe(softOpenFilesLimit.name, () => {
  it('reads the soft column of "Max open files"', () => {
    expect(softOpenFilesLimit(PROC_LIMITS)).toBe(1_100);
  });

  it('is null for unlimited, and for a text without the line', () => {
    expect(softOpenFilesLimit(PROC_LIMITS.replace(/Max open files\s+1100/, 'Max open files            unlimited'))).toBeNull();
    expect(softOpenFilesLimit('Limit  Soft Limit  Hard Limit  Units\n')).toBeNull();
  });
});

describe(openFilesWarning.name, () => {
  it("stays silent when MAX_CONNECTIONS leaves room for the gateway's own files and its probes", () => {
    // 50 own files and 3 for each of 20 probes
    expect(openFilesWarning(config(10_000), 65_536)).toBeNull();
    expect(openFilesWarning(config(1_000), 1_110)).toBeNull();
  });

  it('warns when MAX_CONNECTIONS is above the limit less the reserve, naming both and what to do', () => {
    const warning = openFilesWarning(config(1_000), 1_100);

    expect(warning).toContain('MAX_CONNECTIONS=1000 is above the 990 WebSockets that the open-files limit of 1100 leaves room for');
    expect(warning).toContain("nofile limit (docs/operations.md, \"File descriptors and connection limits\")");
    expect(warning).toContain('set MAX_CONNECTIONS to 990 or less');
  });

  it('warns when MAX_CONNECTIONS=0 leaves the file limit as the only cap, however high', () => {
    expect(openFilesWarning(config(0), 1_048_576)).toContain(
      'MAX_CONNECTIONS=0 (no cap) lets the node take more than the 1048466 WebSockets that the open-files limit of 1048576 leaves room for',
    );
  });

  it('reserves nothing for probes when the probe peer is off', () => {
    const probeOff = config(1_000, { enabled: false, maxConcurrent: 20 });

    expect(openFilesWarning(probeOff, 1_050)).toBeNull();
    expect(openFilesWarning(probeOff, 1_049)).toContain('set MAX_CONNECTIONS to 999 or less');
  });

  it('only says to raise the limit when it leaves no room for any WebSocket', () => {
    const warning = openFilesWarning(config(100), 64);

    expect(warning).toContain('the 0 WebSockets that the open-files limit of 64 leaves room for (the gateway keeps about 110 files for itself)');
    expect(warning).not.toContain('set MAX_CONNECTIONS to');
  });
});

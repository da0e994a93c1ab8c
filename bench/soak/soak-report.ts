import { LatencySummary } from '../util/stats';
import { FdLimit, showFdLimit } from './fd-limit';
import { JoinOutcome, TalkOutcome } from './soak-ipc';
import { SoakOptions } from './soak-options';
import { markdownTable } from '../util/markdown-table';
import { percentileOfUnsorted } from '../util/stats';

/** prom-client samples the event loop with a 10 ms timer and records each period: 10 ms means no lag. */
export const LOOP_SAMPLING_MS = 10;

/** One reading during the hold, every --sample-seconds. */
export interface SoakSample {
  /** Seconds since the hold began. */
  readonly t: number;
  /** Sockets open on the load side. */
  readonly open: number;
  /** signaling_websockets_active. */
  readonly gatewaySockets: number;
  readonly gatewayOpenFds: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** nodejs_eventloop_lag_p99_seconds and _max_seconds over the period since the previous scrape, in ms (the 10 ms timer period included). */
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  /** Slowest /healthz round trip from the orchestrator during the period, probed every 500 ms. */
  readonly healthzMaxMs: number;
  /** Talkers' one-way latency over the period. */
  readonly talk: LatencySummary;
  /** Pings the load processes got since the hold began; closes they did not ask for since they joined. */
  readonly pings: number;
  readonly unexpectedCloses: number;
  /** Gateway CPU over the period as a share of one core. */
  readonly gatewayCpuShare: number;
  /** The load processes' own event-loop delay, worst of them, ms (their 10 ms timer period included). */
  readonly loadLoopP99Ms: number;
  readonly loadLoopMaxMs: number;
  /** The same for the process holding the talkers alone: what its latency figures carry of the load's own stalls. */
  readonly talkersLoopMaxMs: number;
}

export interface SoakRecord {
  readonly started: string;
  readonly options: SoakOptions;
  readonly machine: string;
  readonly loadAverages: { readonly start: readonly number[]; readonly end: readonly number[]; readonly max1m: number };
  readonly pinned: boolean;
  readonly gatewayEnv: Readonly<Record<string, string>>;
  readonly fdLimits: { readonly asked: number; readonly orchestrator: FdLimit; readonly gateway: FdLimit; readonly workers: readonly FdLimit[] };
  readonly portRange: readonly [number, number];
  readonly workers: readonly { readonly rooms: number; readonly talkingRooms: number }[];
  readonly joins: {
    readonly outcomes: readonly JoinOutcome[];
    readonly peers: number;
    readonly failedRooms: number;
    readonly seconds: number;
    readonly gatewayCpuUsPerJoin: number;
    readonly redisCpuUsPerJoin: number;
  };
  readonly memory: {
    readonly rssBeforeBytes: number;
    readonly rssAfterJoinsBytes: number;
    readonly rssEndBytes: number;
    readonly heapBeforeBytes: number;
    readonly heapAfterJoinsBytes: number;
    readonly heapEndBytes: number;
  };
  readonly samples: readonly SoakSample[];
  readonly end: {
    readonly held: number;
    readonly gatewaySockets: number;
    readonly gatewayOpenFds: number;
    /** Pings answered during the hold (the joins' and the settling's left out). */
    readonly pings: number;
    readonly closesByCode: Readonly<Record<string, number>>;
    readonly closeSamples: readonly string[];
    readonly errorFrames: number;
    readonly errorSamples: readonly string[];
    /** Deltas over the hold of the gateway's counters: peers_left_total by reason, admissions by result, backpressure closes. */
    readonly peersLeft: Readonly<Record<string, number>>;
    readonly admissions: Readonly<Record<string, number>>;
    readonly backpressureCloses: number;
    /** signaling_heartbeat_timeouts_total over the hold; NaN from a gateway build that predates it. */
    readonly heartbeatTimeouts: number;
    readonly talk: TalkOutcome | undefined;
    readonly healthz: LatencySummary;
    readonly holdSeconds: number;
    readonly gatewayCpuShare: number;
    readonly redisCpuShare: number;
    readonly loadCpuShare: number;
  };
}

const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
const ms = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

/** Rows of the timeline, one per `perRow` samples: the worst of the samples in it. */
function timeline(samples: readonly SoakSample[], perRow: number): string {
  const rows: string[][] = [];
  for (let from = 0; from < samples.length; from += perRow) {
    const group = samples.slice(from, from + perRow);
    const last = group[group.length - 1];
    const worst = (pick: (s: SoakSample) => number) => Math.max(...group.map(pick).filter(Number.isFinite));
    rows.push([
      last.t.toFixed(0),
      String(last.open),
      String(last.gatewaySockets),
      mib(last.rssBytes),
      mib(last.heapUsedBytes),
      ms(worst((s) => s.loopP99Ms)),
      ms(worst((s) => s.loopMaxMs)),
      ms(worst((s) => s.healthzMaxMs)),
      ms(worst((s) => s.talk.p99), 2),
      pct(group.reduce((sum, s) => sum + s.gatewayCpuShare, 0) / group.length),
      ms(worst((s) => s.loadLoopMaxMs)),
      ms(worst((s) => s.talkersLoopMaxMs)),
      String(last.pings),
      String(last.unexpectedCloses),
    ]);
  }
  return markdownTable(
    ['t s', 'open (load)', 'gateway sockets', 'RSS MiB', 'heap MiB', 'loop p99 ms', 'loop max ms', '/healthz max ms', 'talk p99 ms', 'gateway core', 'load loop max ms', 'talkers\' loop max ms', 'pings', 'unexpected closes'],
    rows,
  );
}

function latencyLine(name: string, summary: LatencySummary, unit = 'frames'): string {
  return `${name}: ${summary.count} ${unit}, p50 ${ms(summary.p50, 2)} ms, p99 ${ms(summary.p99, 2)} ms, max ${ms(summary.max, 1)} ms`;
}

/** The printed report. */
export function soakReport(record: SoakRecord, command: string): string {
  const { options, joins, memory, end } = record;
  const joined = joins.peers;
  const rssPerConnection = joined > 0 ? (memory.rssAfterJoinsBytes - memory.rssBeforeBytes) / joined : Number.NaN;
  const heapPerConnection = joined > 0 ? (memory.heapAfterJoinsBytes - memory.heapBeforeBytes) / joined : Number.NaN;
  const unexpected = Object.values(end.closesByCode).reduce((a, b) => a + b, 0);
  const expectedPings = (joined * end.holdSeconds * 1000) / options.heartbeatMs;
  const loopP99s = record.samples.map((s) => s.loopP99Ms);
  const loopWorstP99 = percentileOfUnsorted(loopP99s, 100);
  const loopMedianP99 = percentileOfUnsorted(loopP99s, 50);
  const loopWorstMax = percentileOfUnsorted(record.samples.map((s) => s.loopMaxMs), 100);
  const talk = end.talk;
  const timeouts = end.peersLeft['timeout'] ?? 0;
  const workerLimits = [...new Set(record.fdLimits.workers.map(showFdLimit))].join(', ');
  const lines = [
    `# soak benchmark, ${record.started}`,
    `machine: ${record.machine}; load average (1 min) ${record.loadAverages.start[0].toFixed(2)} at start, ${record.loadAverages.end[0].toFixed(2)} at the end, at most ${record.loadAverages.max1m.toFixed(2)} during the run`,
    record.pinned
      ? `pinning: gateway on core ${options.serverCore}; load processes, Redis and this orchestrator on core ${options.loadCore}`
      : 'pinning: NONE (taskset missing): gateway and load share all cores',
    `command: ${command}`,
    `gateway: ${options.gatewayMain}, one node on a throwaway redis-server; set: ${Object.entries(record.gatewayEnv)
      .filter(([key]) => !['PORT', 'NODE_ID', 'REDIS_URL'].includes(key))
      .map(([key, value]) => `${key}=${value}`)
      .join(' ')}; everything else default (session events and metrics on)`,
    `open-files limit: asked ${record.fdLimits.asked}; got ${showFdLimit(record.fdLimits.gateway)} for the gateway, ${workerLimits} for each load process ` +
      `(this shell: ${showFdLimit(record.fdLimits.orchestrator)}${record.fdLimits.gateway.hard < record.fdLimits.asked ? '; raising the hard limit needs CAP_SYS_RESOURCE, which this machine does not grant' : ''})`,
    `load: ${options.connections} connections in ${options.connections / 2} rooms of two over ${record.workers.length} load processes ` +
      `(${record.workers.map((w) => w.rooms * 2).join(', ')} connections), ${record.workers.reduce((n, w) => n + w.talkingRooms, 0) * 2} of them talking ` +
      `(${options.talkRate} signal/s each, offer and candidate in turn, in a process of their own), the rest idle; ${options.joinConcurrency} rooms joining at a time; ` +
      `loopback ephemeral ports ${record.portRange[0]}-${record.portRange[1]}`,
    '',
    '## joins',
    '',
    `joined: ${joined} of ${options.connections} connections in ${joins.seconds.toFixed(1)} s = ${(joined / joins.seconds).toFixed(0)} joins/s; ` +
      `gateway CPU ${joins.gatewayCpuUsPerJoin.toFixed(0)} us per join, Redis ${joins.redisCpuUsPerJoin.toFixed(0)} us; rooms refused or failed: ${joins.failedRooms}`,
    ...joins.outcomes.flatMap((o) => o.failureSamples.map((sample) => `  failed: ${sample}`)),
    `gateway resident memory (VmRSS): ${mib(memory.rssBeforeBytes)} MiB before the joins, ${mib(memory.rssAfterJoinsBytes)} MiB 3 s after them, ${mib(memory.rssEndBytes)} MiB at the end of the hold; ` +
      `${(rssPerConnection / 1024).toFixed(1)} KB per connection (heap used ${mib(memory.heapBeforeBytes)} -> ${mib(memory.heapAfterJoinsBytes)} -> ${mib(memory.heapEndBytes)} MiB, ` +
      `${(heapPerConnection / 1024).toFixed(1)} KB per connection)`,
    '',
    `## hold (${end.holdSeconds.toFixed(0)} s, the gateway pinging every ${options.heartbeatMs / 1000} s)`,
    '',
    // about ten rows, whatever the length of the hold
    timeline(record.samples, Math.max(1, Math.round(record.samples.length / 10))),
    '',
    '## at the end',
    '',
    `connections held: ${end.held} of ${options.connections} open on the load side; the gateway reports ${end.gatewaySockets} (signaling_websockets_active), ${end.gatewayOpenFds} open files (process_open_fds)`,
    `heartbeats: the load processes answered ${end.pings} pings (${(end.pings / Math.max(1, expectedPings)).toFixed(2)}x one per connection per interval); ` +
      `sockets the gateway closed: ${unexpected}${unexpected > 0 ? ` (by code: ${Object.entries(end.closesByCode).map(([code, n]) => `${code}: ${n}`).join(', ')})` : ''}; ` +
      `gateway counters over the hold: peers_left_total timeout ${timeouts}, ${Object.entries(end.peersLeft)
        .filter(([reason]) => reason !== 'timeout')
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', ')}; backpressure closes ${end.backpressureCloses}; heartbeat timeouts ${Number.isNaN(end.heartbeatTimeouts) ? 'not counted by this build' : end.heartbeatTimeouts}`,
    ...end.closeSamples.map((sample) => `  closed: ${sample}`),
    `event loop (nodejs_eventloop_lag_p99_seconds, read every ${options.sampleSeconds} s; prom-client's ${LOOP_SAMPLING_MS} ms timer period, so ${LOOP_SAMPLING_MS} ms = no lag): ` +
      `p99 ${ms(loopMedianP99)} ms in the median period, ${ms(loopWorstP99)} ms in the worst; longest delay ${ms(loopWorstMax)} ms`,
    `${latencyLine('/healthz from outside (every 500 ms)', end.healthz, 'requests')}`,
    ...(talk
      ? [
          `relay between the ${talk.talkers} talking peers: sent ${talk.sent}, received ${talk.received}, lost ${talk.lost}`,
          `  ${latencyLine('all', talk.all)}`,
          `  ${latencyLine('offer 3.4 KB', talk.offer)}`,
          `  ${latencyLine('candidate 0.27 KB', talk.candidate)}`,
        ]
      : ['relay: no talking peers']),
    `error frames to the load: ${end.errorFrames}${end.errorSamples.length > 0 ? ` (${end.errorSamples.join('; ')})` : ''}`,
    `CPU over the hold: gateway ${pct(end.gatewayCpuShare)} of a core, Redis ${pct(end.redisCpuShare)}, load processes ${pct(end.loadCpuShare)} (all of them together)`,
    '',
    '## goals',
    '',
    `goal: ${options.connections} connections held at the end: ${verdict(end.held >= options.connections && end.gatewaySockets >= options.connections)} (${end.held} on the load side, ${end.gatewaySockets} on the gateway)`,
    `goal: 0 heartbeats missed: ${verdict(unexpected === 0 && timeouts === 0 && !(end.heartbeatTimeouts > 0) && end.pings > 0)} (${unexpected} sockets closed by the gateway, peers_left_total{reason="timeout"} +${timeouts}, signaling_heartbeat_timeouts_total +${Number.isNaN(end.heartbeatTimeouts) ? 'n/a' : end.heartbeatTimeouts}, ${end.pings} pings answered)`,
  ];
  return lines.join('\n');
}

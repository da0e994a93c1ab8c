/**
 * Soak benchmark (not a test): one gateway node holds many WebSocket connections (rooms of
 * two) for minutes with its heartbeat on, while 1 % of them exchange signals. It prints
 * what the node held at the end, its memory per connection, heartbeat misses, event-loop
 * lag, the talkers' relay latency and losses, the join rate and CPU. See docs/benchmarks.md,
 * "Soak: 20,000 connections a node".
 *
 *   npm run bench:soak                       # 19,000 connections for 5 minutes
 *   npm run bench:soak -- --seconds=60       # a shorter try
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release } from 'node:os';
import { performance } from 'node:perf_hooks';
import { cpuDeltaNs, CpuSample, readCpu, readCpuOfAll } from './util/cpu-time';
import { readRssBytes } from './util/memory';
import { hasTaskset, pinProcess } from './util/pinning';
import { summarizeMicros } from './util/stats';
import { readFdLimit } from './soak/fd-limit';
import { httpGet, MetricsScrape, scrapeMetrics } from './soak/gateway-metrics';
import { startSoakGateway, SoakGateway } from './soak/soak-gateway';
import { LoadStatus, TalkOutcome } from './soak/soak-ipc';
import { parseSoakOptions, SOAK_USAGE, SoakOptions } from './soak/soak-options';
import { SoakRecord, soakReport, SoakSample } from './soak/soak-report';
import { SoakWorker } from './soak/soak-workers';

/** Wait before reading the gateway's memory: start-up or join garbage collected, as the relay bench does. */
const SETTLE_MS = 3000;
const HEALTHZ_EVERY_MS = 500;
const DRAIN_MS = 2000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function log(line: string): void {
  process.stderr.write(`[soak] ${line}\n`);
}

/**
 * Rooms per load process, none holding more than --per-worker connections. The talkers get a
 * process of their own: a load process answering thousands of pings at once stalls for a
 * while, and the talkers' latency should show the gateway's stalls, not the load's.
 */
function plan(options: SoakOptions): { rooms: number; talkingRooms: number }[] {
  const talkingRooms = Math.min(options.connections / 2, Math.round((options.connections * options.talkingShare) / 2));
  const idleRooms = options.connections / 2 - talkingRooms;
  const idleWorkers = Math.ceil((idleRooms * 2) / options.perWorker);
  const idle = Array.from({ length: idleWorkers }, (_, i) => ({
    rooms: Math.floor(idleRooms / idleWorkers) + (i < idleRooms % idleWorkers ? 1 : 0),
    talkingRooms: 0,
  }));
  return talkingRooms > 0 ? [{ rooms: talkingRooms, talkingRooms }, ...idle] : idle;
}

function portRange(): [number, number] {
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  return [low, high];
}

/** Deltas of every series of a counter between two scrapes, keyed by the value of `label`. */
function counterDeltas(before: MetricsScrape, after: MetricsScrape, name: string, label: string): Record<string, number> {
  const deltas: Record<string, number> = {};
  for (const [labels, value] of after.series(name)) {
    const key = new RegExp(`${label}="([^"]*)"`).exec(labels)?.[1] ?? labels;
    deltas[key] = value - (before.series(name).get(labels) ?? 0);
  }
  return deltas;
}

function sumStatuses(statuses: readonly LoadStatus[]): { open: number; pings: number; closesByCode: Record<string, number>; closeSamples: string[]; errorFrames: number; errorSamples: string[] } {
  const closesByCode: Record<string, number> = {};
  for (const status of statuses) for (const [code, n] of Object.entries(status.closesByCode)) closesByCode[code] = (closesByCode[code] ?? 0) + n;
  return {
    open: statuses.reduce((n, s) => n + s.open, 0),
    pings: statuses.reduce((n, s) => n + s.pings, 0),
    closesByCode,
    closeSamples: statuses.flatMap((s) => s.closeSamples).slice(0, 10),
    errorFrames: statuses.reduce((n, s) => n + s.errorFrames, 0),
    errorSamples: statuses.flatMap((s) => s.errorSamples).slice(0, 5),
  };
}

/** Probes /healthz every 500 ms from outside the gateway: what a load balancer's check would see. */
class HealthProbe {
  readonly all: number[] = [];
  private windowMax = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly url: string) {}

  start(): void {
    const probe = () => {
      httpGet(this.url).then(
        ({ ms }) => {
          this.all.push(ms * 1000);
          this.windowMax = Math.max(this.windowMax, ms);
        },
        () => this.all.push(Number.POSITIVE_INFINITY),
      );
      this.timer = setTimeout(probe, HEALTHZ_EVERY_MS);
    };
    probe();
  }

  takeWindowMax(): number {
    const max = this.windowMax;
    this.windowMax = 0;
    return max;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${SOAK_USAGE}\n`);
    return;
  }
  const options = parseSoakOptions();
  const pinned = hasTaskset() && pinProcess(process.pid, options.loadCore);
  const started = new Date();
  const runTag = started.getTime().toString(36);
  const loadStart = loadavg();
  let maxLoad = loadStart[0];
  const layout = plan(options);
  const ports = portRange();
  if (options.connections > ports[1] - ports[0] + 1 - 1000) {
    log(`warning: ${options.connections} connections from 127.0.0.1 to one port need as many ephemeral ports; the range ${ports[0]}-${ports[1]} is nearly too small`);
  }

  let gateway: SoakGateway | undefined;
  const workers: SoakWorker[] = [];
  let health: HealthProbe | undefined;
  try {
    gateway = await startSoakGateway(options);
    const gatewayPid = gateway.process.pid;
    const redisPid = gateway.redis.process.pid;
    const gatewayLimit = readFdLimit(gatewayPid);
    log(`gateway pid ${gatewayPid} at ${gateway.baseUrl}, open-files limit ${gatewayLimit.soft} (hard ${gatewayLimit.hard})`);
    if (gatewayLimit.soft < options.connections + 100) log(`warning: the gateway's open-files limit ${gatewayLimit.soft} leaves no room for ${options.connections} sockets and its own files`);

    for (const _ of layout) workers.push(new SoakWorker(options.loadCore, options.fdLimit));
    const hellos = await Promise.all(workers.map((worker) => worker.hello()));
    log(`${workers.length} load processes, open-files limit ${hellos.map((h) => h.fdLimit.soft).join(', ')}`);

    await sleep(SETTLE_MS);
    const before = await scrapeMetrics(gateway.baseUrl);
    const rssBefore = readRssBytes(gatewayPid);

    // joins: every load process at once, the concurrency shared among them
    const perWorkerConcurrency = Math.max(1, Math.ceil(options.joinConcurrency / workers.length));
    const cpuJoinStart = readCpu(gatewayPid);
    const redisJoinStart = readCpu(redisPid);
    const joinStarted = performance.now();
    log(`joining ${options.connections} connections, ${perWorkerConcurrency} rooms at a time in each of ${workers.length} load processes`);
    const outcomes = await Promise.all(workers.map((worker, i) => worker.join(gateway!.wsUrl, `soak-${runTag}-${i}`, layout[i].rooms, layout[i].talkingRooms, perWorkerConcurrency)));
    const joinSeconds = (performance.now() - joinStarted) / 1000;
    const joinCpuNs = cpuDeltaNs(cpuJoinStart, readCpu(gatewayPid));
    const joinRedisNs = cpuDeltaNs(redisJoinStart, readCpu(redisPid));
    const joinedPeers = outcomes.reduce((n, o) => n + o.peers, 0);
    const failedRooms = outcomes.reduce((n, o) => n + o.failedRooms, 0);
    log(`joined ${joinedPeers} in ${joinSeconds.toFixed(1)} s (${(joinedPeers / joinSeconds).toFixed(0)}/s), ${failedRooms} rooms failed`);

    await sleep(SETTLE_MS);
    const afterJoins = await scrapeMetrics(gateway.baseUrl);
    const rssAfterJoins = readRssBytes(gatewayPid);
    log(`gateway RSS ${(rssBefore / 1048576).toFixed(1)} -> ${(rssAfterJoins / 1048576).toFixed(1)} MiB`);

    // the hold
    const holdBefore: { gateway: CpuSample; redis: CpuSample; load: CpuSample } = {
      gateway: readCpu(gatewayPid),
      redis: readCpu(redisPid),
      load: readCpuOfAll(workers.map((w) => w.pid)),
    };
    const base = gateway.baseUrl;
    const healthProbe = (health = new HealthProbe(`${base}/healthz`));
    healthProbe.start();
    const pingsBeforeHold = sumStatuses(await Promise.all(workers.map((worker) => worker.status()))).pings;
    await Promise.all(workers.map((worker) => worker.talk(options.talkRate)));
    const holdStarted = performance.now();
    const holdEnd = holdStarted + options.seconds * 1000;
    const samples: SoakSample[] = [];
    let lastCpu = holdBefore.gateway;
    let lastAt = holdStarted;
    let statuses: LoadStatus[] = [];
    while (performance.now() < holdEnd) {
      await sleep(Math.min(options.sampleSeconds * 1000, Math.max(0, holdEnd - performance.now())));
      const now = performance.now();
      const cpu = readCpu(gatewayPid);
      const scrape = await scrapeMetrics(base);
      statuses = [];
      for (const worker of workers) statuses.push(await worker.status());
      const summed = sumStatuses(statuses);
      const talkWindow = statuses.find((s) => s.window.count > 0)?.window ?? summarizeMicros(new Float64Array(0));
      maxLoad = Math.max(maxLoad, loadavg()[0]);
      const sample: SoakSample = {
        t: (now - holdStarted) / 1000,
        open: summed.open,
        gatewaySockets: scrape.value('signaling_websockets_active'),
        gatewayOpenFds: scrape.value('process_open_fds'),
        rssBytes: readRssBytes(gatewayPid),
        heapUsedBytes: scrape.value('nodejs_heap_size_used_bytes'),
        loopP99Ms: scrape.value('nodejs_eventloop_lag_p99_seconds') * 1000,
        loopMaxMs: scrape.value('nodejs_eventloop_lag_max_seconds') * 1000,
        healthzMaxMs: healthProbe.takeWindowMax(),
        talk: talkWindow,
        pings: summed.pings - pingsBeforeHold,
        unexpectedCloses: Object.values(summed.closesByCode).reduce((a, b) => a + b, 0),
        gatewayCpuShare: cpuDeltaNs(lastCpu, cpu) / ((now - lastAt) * 1e6),
        loadLoopP99Ms: Math.max(...statuses.map((s) => s.loopDelayP99Ms)),
        loadLoopMaxMs: Math.max(...statuses.map((s) => s.loopDelayMaxMs)),
        talkersLoopMaxMs: layout[0].talkingRooms > 0 ? statuses[0].loopDelayMaxMs : Number.NaN,
      };
      lastCpu = cpu;
      lastAt = now;
      samples.push(sample);
      log(
        `t=${sample.t.toFixed(0)}s open ${sample.open}, gateway ${sample.gatewaySockets} sockets, RSS ${(sample.rssBytes / 1048576).toFixed(1)} MiB, ` +
          `loop p99 ${sample.loopP99Ms.toFixed(1)} ms (max ${sample.loopMaxMs.toFixed(1)}), talk p99 ${sample.talk.p99.toFixed(2)} ms, ` +
          `load loop max ${sample.loadLoopMaxMs.toFixed(0)} ms (talkers' ${sample.talkersLoopMaxMs.toFixed(0)}), core ${(sample.gatewayCpuShare * 100).toFixed(0)}%, pings ${sample.pings}, unexpected closes ${sample.unexpectedCloses}`,
      );
    }
    const holdSeconds = (performance.now() - holdStarted) / 1000;
    const talked: TalkOutcome[] = [];
    for (const worker of workers) talked.push(await worker.stopTalking(DRAIN_MS));
    healthProbe.stop();
    const holdAfter = { gateway: readCpu(gatewayPid), redis: readCpu(redisPid), load: readCpuOfAll(workers.map((w) => w.pid)) };
    const holdWallNs = holdSeconds * 1e9 + DRAIN_MS * 1e6;
    statuses = [];
    for (const worker of workers) statuses.push(await worker.status());
    const final = sumStatuses(statuses);
    const endScrape = await scrapeMetrics(base);
    const rssEnd = readRssBytes(gatewayPid);

    const record: SoakRecord = {
      started: started.toISOString(),
      options,
      machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), ${arch()}, Linux ${release()}, node ${process.version}`,
      loadAverages: { start: loadStart, end: loadavg(), max1m: Math.max(maxLoad, loadavg()[0]) },
      pinned,
      gatewayEnv: gateway.env,
      fdLimits: { asked: options.fdLimit, orchestrator: readFdLimit('self'), gateway: gatewayLimit, workers: hellos.map((h) => h.fdLimit) },
      portRange: ports,
      workers: layout,
      joins: {
        outcomes,
        peers: joinedPeers,
        failedRooms,
        seconds: joinSeconds,
        gatewayCpuUsPerJoin: joinCpuNs / 1000 / Math.max(1, joinedPeers),
        redisCpuUsPerJoin: joinRedisNs / 1000 / Math.max(1, joinedPeers),
      },
      memory: {
        rssBeforeBytes: rssBefore,
        rssAfterJoinsBytes: rssAfterJoins,
        rssEndBytes: rssEnd,
        heapBeforeBytes: before.value('nodejs_heap_size_used_bytes'),
        heapAfterJoinsBytes: afterJoins.value('nodejs_heap_size_used_bytes'),
        heapEndBytes: endScrape.value('nodejs_heap_size_used_bytes'),
      },
      samples,
      end: {
        held: final.open,
        gatewaySockets: endScrape.value('signaling_websockets_active'),
        gatewayOpenFds: endScrape.value('process_open_fds'),
        pings: final.pings - pingsBeforeHold,
        closesByCode: final.closesByCode,
        closeSamples: final.closeSamples,
        errorFrames: final.errorFrames,
        errorSamples: final.errorSamples,
        peersLeft: counterDeltas(afterJoins, endScrape, 'signaling_peers_left_total', 'reason'),
        admissions: counterDeltas(afterJoins, endScrape, 'signaling_admissions_total', 'result'),
        backpressureCloses: endScrape.value('signaling_backpressure_closes_total') - afterJoins.value('signaling_backpressure_closes_total'),
        heartbeatTimeouts: endScrape.value('signaling_heartbeat_timeouts_total') - afterJoins.value('signaling_heartbeat_timeouts_total'),
        talk: talked.find((t) => t.talkers > 0),
        healthz: summarizeMicros(Float64Array.from(healthProbe.all)),
        holdSeconds,
        gatewayCpuShare: cpuDeltaNs(holdBefore.gateway, holdAfter.gateway) / holdWallNs,
        redisCpuShare: cpuDeltaNs(holdBefore.redis, holdAfter.redis) / holdWallNs,
        loadCpuShare: cpuDeltaNs(holdBefore.load, holdAfter.load) / holdWallNs,
      },
    };
    process.stdout.write(`${soakReport(record, ['npm run bench:soak --', ...process.argv.slice(2)].join(' '))}\n`);
    if (options.jsonFile) {
      writeFileSync(options.jsonFile, JSON.stringify(record, null, 2));
      log(`raw results in ${options.jsonFile}`);
    }
  } finally {
    health?.stop();
    log('closing the connections');
    await Promise.all(workers.map((worker) => worker.stop()));
    const dead = gateway?.process.exitStatus();
    if (dead) {
      process.exitCode = 1;
      log(`the gateway ended during the run: ${dead}; log ${gateway!.process.logFile}:\n${gateway!.process.logTail(20)}`);
    }
    await gateway?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

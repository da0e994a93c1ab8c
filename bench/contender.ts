import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cpuDeltaNs, readCpuOfAll } from './util/cpu-time';
import { readRssOfAll } from './util/memory';
import { OtherLoadProbe } from './util/other-load';
import { ConnectResult } from './load/ipc';
import { LoadDriver } from './load/load-driver';
import { SignalKind } from './load/payloads';
import { RelayBenchOptions, ServerName } from './options';
import { DISTURBED_SHARE, failReason, JoinRecord, medianJoinRun, ServerRecord, StepRecord } from './report';
import { medianStep } from './step-median';
import { startBareAnnounceRelay, startBareRelay, startBareTwoNodes, startPeerJs } from './servers/node-script';
import { startGatewayNodes } from './servers/gateway-nodes';
import { RunningServer } from './servers/running-server';
/** The share a quiet machine stays under between steps. */
const QUIET_SHARE = 0.05;
/** Wait before reading a server's memory: for start-up or join garbage to be collected. */
const JOIN_SETTLE_MS = 3000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function startServer(name: ServerName, options: RelayBenchOptions): Promise<RunningServer> {
  // profiles are written when a server exits, one folder per server, one file per process
  const profDir = options.cpuProfDir ? join(options.cpuProfDir, name) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const profFlags = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const nodeFlags = [...options.nodeFlags, ...profFlags];
  switch (name) {
    case 'bare':
      return startBareRelay(options.serverCore, nodeFlags);
    case 'bare-announce':
      return startBareAnnounceRelay(options.serverCore, nodeFlags);
    case 'bare-2':
      return startBareTwoNodes(options.serverCore, options.loadCore, nodeFlags);
    case 'peerjs':
      return startPeerJs(options.serverCore, nodeFlags);
    case 'gateway-1-baseline':
    case 'gateway-2-baseline':
      return startGatewayNodes({
        nodes: name === 'gateway-1-baseline' ? 1 : 2,
        serverCore: options.serverCore,
        redisCore: options.loadCore,
        extraEnv: options.baselineGatewayEnv ?? options.gatewayEnv,
        nodeFlags: options.baselineNodeFlags ? [...options.baselineNodeFlags, ...profFlags] : nodeFlags,
        baselineMain: options.baselineGateway,
      });
    case 'gateway-1':
    case 'gateway-2':
    case 'gateway-1-cluster':
    case 'gateway-2-cluster': {
      return startGatewayNodes({
        nodes: name.startsWith('gateway-1') ? 1 : 2,
        serverCore: options.serverCore,
        // Redis runs beside the load, off the server's core; its CPU is reported apart
        redisCore: options.loadCore,
        extraEnv: options.gatewayEnv,
        nodeFlags,
        redis: name.endsWith('-cluster') ? 'cluster' : 'single',
      });
    }
  }
}

/** The server's Redis processes: one redis-server, or every node of a cluster. */
function redisPidsOf(server: RunningServer): readonly number[] {
  return server.redisPids ?? (server.redisPid ? [server.redisPid] : []);
}

/** One rate of one size: CPU read around the load step, rerun if other processes disturbed it. */
async function measureStep(
  ctx: { server: RunningServer; driver: LoadDriver; probe: OtherLoadProbe; options: RelayBenchOptions; nextStep: () => number },
  kind: SignalKind,
  rate: number,
): Promise<StepRecord> {
  const { server, driver, probe, options } = ctx;
  let record: StepRecord | undefined;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    const quiet = await probe.waitForQuiet(QUIET_SHARE, options.quietWaitSeconds * 1000);
    if (quiet.share > QUIET_SHARE) log(`other processes still use ${(quiet.share * 100).toFixed(0)}% of a core after ${quiet.waitedMs} ms; measuring anyway`);
    probe.start();
    const serverBefore = readCpuOfAll(server.serverPids);
    const redisPids = redisPidsOf(server);
    const redisBefore = redisPids.length > 0 ? readCpuOfAll(redisPids) : undefined;
    const started = process.hrtime.bigint();
    const seconds = rate === options.ratioRate ? options.ratioStepSeconds : options.stepSeconds;
    const result = await driver.step(ctx.nextStep(), kind, rate, seconds * 1000, options.drainMs, options.tickMs);
    const wallNs = Number(process.hrtime.bigint() - started);
    const serverAfter = readCpuOfAll(server.serverPids);
    const serverNs = cpuDeltaNs(serverBefore, serverAfter);
    const redisNs = redisBefore ? cpuDeltaNs(redisBefore, readCpuOfAll(redisPids)) : undefined;
    const otherShare = probe.otherShare();
    const relayed = Math.max(1, result.received);
    const reason = failReason(result, options.p99LimitMs);
    record = {
      kind,
      rate,
      result,
      serverCpuUsPerMsg: serverNs / 1000 / relayed,
      serverStatUsPerMsg: (serverAfter.statNs - serverBefore.statNs) / 1000 / relayed,
      serverCpuShare: serverNs / wallNs,
      redisCpuUsPerMsg: redisNs === undefined ? undefined : redisNs / 1000 / relayed,
      otherCpuShare: otherShare,
      attempts: attempt + 1,
      pass: reason === undefined,
      failReason: reason,
    };
    if (otherShare <= DISTURBED_SHARE) break;
    log(`${server.name} ${kind} ${rate}/s: other processes used ${(otherShare * 100).toFixed(0)}% of a core during the step${attempt < options.retries ? '; running it again' : ''}`);
  }
  return record!;
}

/**
 * One server under test with its own load process, kept running for the whole bench
 * so that steps of all servers can alternate: a neighbour's load that comes and goes
 * then disturbs every server alike instead of one.
 */
export class Contender {
  readonly steps: StepRecord[] = [];
  /** Runs of the rate being measured, before settle(). */
  private readonly unsettled: StepRecord[] = [];
  private server: RunningServer | undefined;
  private driver: LoadDriver | undefined;
  private probe: OtherLoadProbe | undefined;
  private connect: ConnectResult | undefined;
  private error: string | undefined;
  private readonly joinRuns: JoinRecord[] = [];
  private description: string | undefined;
  private step = 0;
  /** Sizes whose stepping ended (p99 over the limit or loss). */
  private readonly done = new Set<SignalKind>();

  constructor(
    readonly name: ServerName,
    private readonly options: RelayBenchOptions,
  ) {}

  /** Starts the server and its load process, joins the rooms and warms up. */
  async setUp(runTag: string): Promise<void> {
    const options = this.options;
    try {
      this.server = await startServer(this.name, options);
      this.description = this.server.description;
      this.driver = new LoadDriver(options.loadCore);
      this.probe = this.coreProbe(this.server, this.driver);
      this.connect = await this.driver.connect(this.server.target, options.rooms, `bench-${runTag}-${this.name}`);
      log(`${this.name}: ${this.connect.peers} peers in ${options.rooms} rooms connected in ${this.connect.connectMs} ms; warming up`);
      const warmRate = Math.min(options.ratioRate, Math.max(...options.rates));
      const warm = await this.driver.step(++this.step, 'mixed', warmRate, options.warmupSeconds * 1000, options.drainMs, options.tickMs);
      if (warm.received === 0) throw new Error(`nothing relayed during warm-up: ${warm.errorSamples.join('; ')}`);
    } catch (error) {
      await this.fail(error);
    }
  }

  /** True while this server still steps up `kind`. */
  stepping(kind: SignalKind): boolean {
    return this.error === undefined && !this.done.has(kind);
  }

  /**
   * Measures one run of one rate. The runs of a rate count once settle() has merged them;
   * a failing rate ends this size's stepping.
   */
  async run(kind: SignalKind, rate: number): Promise<void> {
    if (!this.stepping(kind)) return;
    try {
      const record = await measureStep(
        { server: this.server!, driver: this.driver!, probe: this.probe!, options: this.options, nextStep: () => ++this.step },
        kind,
        rate,
      );
      this.unsettled.push(record);
      const { latency, lost } = record.result;
      log(
        `${this.name} ${kind} ${rate}/s: p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms, lost ${lost}, ` +
          `server ${record.serverCpuUsPerMsg.toFixed(1)} us/msg${record.failReason ? ` (${record.failReason})` : ''}`,
      );
    } catch (error) {
      await this.fail(error);
    }
  }

  /** The runs of the rate just measured become one step: their medians when there were several. */
  settle(): void {
    const runs = this.unsettled.splice(0);
    if (runs.length === 0) return;
    const record = medianStep(runs, this.options.p99LimitMs);
    this.steps.push(record);
    if (runs.length > 1) {
      log(
        `${this.name} ${record.kind} ${record.rate}/s, median of ${runs.length}: p99 ${record.result.latency.p99.toFixed(2)} ms, ` +
          `server ${record.serverCpuUsPerMsg.toFixed(1)} us/msg`,
      );
    }
    if (!record.pass) {
      log(`${this.name} ${record.kind}: stepping stops at ${record.rate}/s (${record.failReason})`);
      this.done.add(record.kind);
    }
  }

  /**
   * Joins `options.joins` connections (rooms of two, `options.joinConcurrency` rooms at a
   * time) to a fresh server of the same kind, which then stay idle: the join rate, and the
   * growth of the server's resident memory per idle connection once settled. A fresh server,
   * so that the relay steps' garbage and heap slack do not hide what idle peers hold; after
   * the relay steps, which thousands of idle connections would weigh on.
   */
  async measureJoins(runTag: string): Promise<void> {
    const rooms = Math.floor(this.options.joins / 2);
    if (rooms === 0 || this.error !== undefined) return;
    try {
      await this.tearDown();
      this.server = await startServer(this.name, this.options);
      this.driver = new LoadDriver(this.options.loadCore);
      const server = this.server;
      await sleep(JOIN_SETTLE_MS);
      const rssBefore = readRssOfAll(server.serverPids);
      const cores = this.coreProbe(server, this.driver);
      const redisPids = redisPidsOf(server);
      const cpuBefore = readCpuOfAll(server.serverPids);
      const loadBefore = readCpuOfAll([this.driver.pid]);
      const redisBefore = redisPids.length > 0 ? readCpuOfAll(redisPids) : undefined;
      cores.start();
      const joined = await this.driver.join(server.target, rooms, `join-${runTag}-${this.name}`, this.options.joinConcurrency);
      const cpuNs = cpuDeltaNs(cpuBefore, readCpuOfAll(server.serverPids));
      const loadNs = cpuDeltaNs(loadBefore, readCpuOfAll([this.driver.pid]));
      const redisNs = redisBefore ? cpuDeltaNs(redisBefore, readCpuOfAll(redisPids)) : undefined;
      // which side set the rate: a server core near full is the server's limit, a load core near full the load's
      const busy = cores.shares();
      // the joins' garbage is collected meanwhile; what stays is what idle peers hold
      await sleep(JOIN_SETTLE_MS);
      const rssAfter = readRssOfAll(server.serverPids);
      const run: JoinRecord = {
        peers: joined.peers,
        joinMs: joined.joinMs,
        joinsPerSecond: (joined.peers * 1000) / joined.joinMs,
        serverCpuUsPerJoin: cpuNs / 1000 / joined.peers,
        loadCpuUsPerJoin: loadNs / 1000 / joined.peers,
        redisCpuUsPerJoin: redisNs === undefined ? undefined : redisNs / 1000 / joined.peers,
        serverCoreBusyShare: busy.serverCore,
        loadCoreBusyShare: busy.loadCore,
        otherCpuShare: busy.other,
        rssBeforeBytes: rssBefore,
        rssAfterBytes: rssAfter,
        rssBytesPerPeer: (rssAfter - rssBefore) / joined.peers,
      };
      this.joinRuns.push(run);
      log(
        `${this.name}: ${joined.peers} idle connections joined in ${joined.joinMs.toFixed(0)} ms (${run.joinsPerSecond.toFixed(0)}/s), ` +
          `${(run.rssBytesPerPeer / 1024).toFixed(1)} KB RSS each`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${this.name}: join measurement failed: ${message}`);
      this.joinRuns.push({ failed: message });
    }
  }

  /** Reads the two cores while `server` runs under `driver`'s load: the bench's own processes are the orchestrator, the load and Redis. */
  private coreProbe(server: RunningServer, driver: LoadDriver): OtherLoadProbe {
    return new OtherLoadProbe(this.options.serverCore, this.options.loadCore, server.serverPids, [process.pid, driver.pid, ...redisPidsOf(server)]);
  }

  async tearDown(): Promise<void> {
    const driver = this.driver;
    const server = this.server;
    this.driver = undefined;
    this.server = undefined;
    await driver?.stop();
    await server?.stop();
  }

  record(): ServerRecord {
    return {
      name: this.name,
      description: this.description ?? this.name,
      connect: this.connect,
      steps: this.steps,
      joins: medianJoinRun(this.joinRuns),
      joinRuns: this.joinRuns,
      error: this.error,
    };
  }

  private async fail(error: unknown): Promise<void> {
    // a server process that died explains more than the /proc read that failed after it
    await new Promise((r) => setTimeout(r, 200));
    const dead = this.server?.deadProcesses() ?? [];
    this.error = dead.length > 0 ? `server process died: ${dead.join('; ')}` : error instanceof Error ? error.message : String(error);
    log(`${this.name}: failed: ${this.error}`);
  }
}

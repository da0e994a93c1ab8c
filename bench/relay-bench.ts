/**
 * Relay benchmark (not a test): rooms of two peers exchange offer-sized and
 * candidate-sized signals at stepped aggregate rates through each server, and the
 * load process measures one-way latency while /proc gives the server's CPU per
 * relayed message. Servers: the bare ws relay (the floor), the PeerJS server, our
 * gateway on one node, and on two nodes over one Redis. See docs/benchmarks.md.
 *
 *   npm run bench                      # quick default run, about 2 minutes
 *   npm run bench -- --servers=bare,gateway-1 --rates=2000 --step-seconds=10
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { cpuDeltaNs, readCpu, readCpuOfAll } from './util/cpu-time';
import { OtherLoadProbe } from './util/other-load';
import { hasTaskset, pinProcess } from './util/pinning';
import { ConnectResult } from './load/ipc';
import { LoadDriver } from './load/load-driver';
import { SignalKind } from './load/payloads';
import { parseOptions, RelayBenchOptions, ServerName, USAGE } from './options';
import { failReason, ServerRecord, StepRecord, stepsTable, summaryTable, targetLines } from './report';
import { startBareRelay, startPeerJs } from './servers/node-script';
import { startGatewayNodes } from './servers/gateway-nodes';
import { RunningServer } from './servers/running-server';

/** Other processes using more than this share of a core during a step disturb it. */
const DISTURBED_SHARE = 0.1;
/** The share a quiet machine stays under between steps. */
const QUIET_SHARE = 0.05;

function startServer(name: ServerName, options: RelayBenchOptions): Promise<RunningServer> {
  // profiles are written when a server exits, one folder per server, one file per process
  const profDir = options.cpuProfDir ? join(options.cpuProfDir, name) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const nodeFlags = [...options.nodeFlags, ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [])];
  switch (name) {
    case 'bare':
      return startBareRelay(options.serverCore, nodeFlags);
    case 'peerjs':
      return startPeerJs(options.serverCore, nodeFlags);
    case 'gateway-1':
    case 'gateway-2': {
      return startGatewayNodes({
        nodes: name === 'gateway-1' ? 1 : 2,
        serverCore: options.serverCore,
        // Redis runs beside the load, off the server's core; its CPU is reported apart
        redisCore: options.loadCore,
        extraEnv: options.gatewayEnv,
        nodeFlags,
      });
    }
  }
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
    const redisBefore = server.redisPid ? readCpu(server.redisPid) : undefined;
    const started = process.hrtime.bigint();
    const result = await driver.step(ctx.nextStep(), kind, rate, options.stepSeconds * 1000, options.drainMs, options.tickMs);
    const wallNs = Number(process.hrtime.bigint() - started);
    const serverAfter = readCpuOfAll(server.serverPids);
    const serverNs = cpuDeltaNs(serverBefore, serverAfter);
    const redisNs = redisBefore && server.redisPid ? cpuDeltaNs(redisBefore, readCpu(server.redisPid)) : undefined;
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

async function benchServer(name: ServerName, options: RelayBenchOptions, runTag: string): Promise<ServerRecord> {
  const steps: StepRecord[] = [];
  let server: RunningServer | undefined;
  let driver: LoadDriver | undefined;
  let connect: ConnectResult | undefined;
  try {
    server = await startServer(name, options);
    driver = new LoadDriver(options.loadCore);
    const loadSidePids = [process.pid, driver.pid, ...(server.redisPid ? [server.redisPid] : [])];
    const probe = new OtherLoadProbe(options.serverCore, options.loadCore, server.serverPids, loadSidePids);
    connect = await driver.connect(server.target, options.rooms, `bench-${runTag}-${name}`);
    log(`${name}: ${connect.peers} peers in ${options.rooms} rooms connected in ${connect.connectMs} ms; warming up`);
    let step = 0;
    const nextStep = () => ++step;
    const warmRate = Math.min(options.ratioRate, Math.max(...options.rates));
    const warm = await driver.step(nextStep(), 'mixed', warmRate, options.warmupSeconds * 1000, options.drainMs, options.tickMs);
    if (warm.received === 0) throw new Error(`nothing relayed during warm-up: ${warm.errorSamples.join('; ')}`);
    for (const kind of options.sizes) {
      for (const rate of options.rates) {
        const record = await measureStep({ server, driver, probe, options, nextStep }, kind, rate);
        steps.push(record);
        const { latency, lost } = record.result;
        log(
          `${name} ${kind} ${rate}/s: p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms, lost ${lost}, ` +
            `server ${record.serverCpuUsPerMsg.toFixed(1)} us/msg${record.failReason ? ` -> stop (${record.failReason})` : ''}`,
        );
        if (!record.pass) break;
      }
    }
    return { name, description: server.description, connect, steps, error: undefined };
  } catch (error) {
    // a server process that died explains more than the /proc read that failed after it
    await new Promise((r) => setTimeout(r, 200));
    const dead = server?.deadProcesses() ?? [];
    const message = dead.length > 0 ? `server process died: ${dead.join('; ')}` : error instanceof Error ? error.message : String(error);
    log(`${name}: failed: ${message}`);
    return { name, description: server?.description ?? name, connect, steps, error: message };
  } finally {
    await driver?.stop();
    await server?.stop();
  }
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = parseOptions();
  // the orchestrator mostly sleeps, but keep it off the server's core too
  const pinned = hasTaskset() && pinProcess(process.pid, options.loadCore);
  const started = new Date();
  const runTag = started.getTime().toString(36);
  const records: ServerRecord[] = [];
  for (const name of options.servers) records.push(await benchServer(name, options, runTag));

  const disturbed = records.flatMap((r) => r.steps.filter((s) => s.otherCpuShare > DISTURBED_SHARE).map((s) => `${r.name} ${s.kind} ${s.rate}/s`));
  const output = [
    `# relay benchmark, ${started.toISOString()}`,
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), ${arch()}, Linux ${release()}, node ${process.version}; load average at start ${loadavg()[0].toFixed(2)}`,
    pinned
      ? `pinning: servers on core ${options.serverCore}; load process, Redis and this orchestrator on core ${options.loadCore}`
      : 'pinning: NONE (taskset missing): servers and load share all cores, figures are noisier',
    `load: ${options.rooms} rooms of 2 peers, ${options.stepSeconds} s per step after ${options.warmupSeconds} s warm-up, rates ${options.rates.join(', ')} msg/s (aggregate), ` +
      `${options.tickMs} ms sender ticks; stepping stops at p99 > ${options.p99LimitMs} ms or any loss`,
    `command: ${['npm run bench --', ...process.argv.slice(2)].join(' ')}`,
    '',
    '## every step',
    '',
    stepsTable(records),
    '',
    `## summary (comparison at ${options.ratioRate} msg/s)`,
    '',
    summaryTable(records, options),
    '',
    ...targetLines(records, options),
    ...(disturbed.length > 0
      ? ['', `warning: other processes used > ${DISTURBED_SHARE * 100}% of a core during: ${disturbed.join(', ')}; rerun on a quiet machine`]
      : []),
  ].join('\n');
  process.stdout.write(`${output}\n`);
  if (options.jsonFile) {
    writeFileSync(options.jsonFile, JSON.stringify({ started: started.toISOString(), options, records }, null, 2));
    log(`raw results in ${options.jsonFile}`);
  }
  if (records.some((r) => r.error)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});

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
import { readCpu, readCpuOfAll, cpuDeltaNs } from './util/cpu-time';
import { coreBusyDelta, readCoreBusy } from './util/core-usage';
import { hasTaskset, pinProcess } from './util/pinning';
import { LoadDriver } from './load/load-driver';
import { parseOptions, RelayBenchOptions, ServerName, USAGE } from './options';
import { failReason, ServerRecord, StepRecord, stepsTable, summaryTable, targetLines } from './report';
import { startBareRelay, startPeerJs } from './servers/node-script';
import { startGatewayNodes } from './servers/gateway-nodes';
import { RunningServer } from './servers/running-server';

function startServer(name: ServerName, options: RelayBenchOptions): Promise<RunningServer> {
  switch (name) {
    case 'bare':
      return startBareRelay(options.serverCore);
    case 'peerjs':
      return startPeerJs(options.serverCore);
    case 'gateway-1':
    case 'gateway-2': {
      if (options.cpuProfDir) mkdirSync(options.cpuProfDir, { recursive: true });
      return startGatewayNodes({
        nodes: name === 'gateway-1' ? 1 : 2,
        serverCore: options.serverCore,
        // Redis shares the load's core: on the server's core it would be counted nowhere fair
        redisCore: options.loadCore,
        extraEnv: options.gatewayEnv,
        nodeFlags: options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [],
      });
    }
  }
}

async function benchServer(name: ServerName, options: RelayBenchOptions, runTag: string): Promise<ServerRecord> {
  const steps: StepRecord[] = [];
  let server: RunningServer | undefined;
  let driver: LoadDriver | undefined;
  try {
    server = await startServer(name, options);
    driver = new LoadDriver(options.loadCore);
    const loadSidePids = [process.pid, driver.pid, ...(server.redisPid ? [server.redisPid] : [])];
    const connect = await driver.connect(server.target, options.rooms, `bench-${runTag}-${name}`);
    log(`${name}: ${connect.peers} peers in ${options.rooms} rooms connected in ${connect.connectMs} ms; warming up`);
    let step = 0;
    const warm = await driver.step(++step, 'mixed', Math.min(options.ratioRate, Math.max(...options.rates)), options.warmupSeconds * 1000, options.drainMs);
    if (warm.received === 0) throw new Error(`nothing relayed during warm-up: ${warm.errorSamples.join('; ')}`);
    for (const kind of options.sizes) {
      for (const rate of options.rates) {
        const coresBefore = readCoreBusy();
        const loadSideBefore = readCpuOfAll(loadSidePids);
        const serverBefore = readCpuOfAll(server.serverPids);
        const redisBefore = server.redisPid ? readCpu(server.redisPid) : undefined;
        const started = process.hrtime.bigint();
        const result = await driver.step(++step, kind, rate, options.stepSeconds * 1000, options.drainMs);
        const wallNs = Number(process.hrtime.bigint() - started);
        const serverAfter = readCpuOfAll(server.serverPids);
        const serverNs = cpuDeltaNs(serverBefore, serverAfter);
        const loadSideNs = readCpuOfAll(loadSidePids).statNs - loadSideBefore.statNs;
        const coresAfter = readCoreBusy();
        // busy time on each core that none of the bench's processes account for
        const otherShare = Math.max(
          (coreBusyDelta(coresBefore, coresAfter, options.serverCore) - (serverAfter.statNs - serverBefore.statNs)) / wallNs,
          (coreBusyDelta(coresBefore, coresAfter, options.loadCore) - loadSideNs) / wallNs,
        );
        const redisNs = redisBefore && server.redisPid ? cpuDeltaNs(redisBefore, readCpu(server.redisPid)) : undefined;
        const relayed = Math.max(1, result.received);
        const reason = failReason(result, options.p99LimitMs);
        const record: StepRecord = {
          kind,
          rate,
          result,
          serverCpuUsPerMsg: serverNs / 1000 / relayed,
          serverCpuShare: serverNs / wallNs,
          otherCpuShare: Math.max(0, otherShare),
          serverStatUsPerMsg: (serverAfter.statNs - serverBefore.statNs) / 1000 / relayed,
          redisCpuUsPerMsg: redisNs === undefined ? undefined : redisNs / 1000 / relayed,
          pass: reason === undefined,
          failReason: reason,
        };
        steps.push(record);
        log(
          `${name} ${kind} ${rate}/s: p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, ` +
            `lost ${result.lost}, server ${record.serverCpuUsPerMsg.toFixed(1)} us/msg${reason ? ` -> stop (${reason})` : ''}`,
        );
        if (reason) break;
      }
    }
    return { name, description: server.description, connect, steps, error: undefined };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${name}: failed: ${message}`);
    return { name, description: server?.description ?? name, connect: undefined, steps, error: message };
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

  const header = [
    `# relay benchmark, ${started.toISOString()}`,
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), ${arch()}, Linux ${release()}, node ${process.version}; load average at start ${loadavg()[0].toFixed(2)}`,
    pinned
      ? `pinning: servers on core ${options.serverCore}; load process, Redis and this orchestrator on core ${options.loadCore}`
      : 'pinning: NONE (taskset missing): servers and load share all cores, figures are noisier',
    `load: ${options.rooms} rooms of 2 peers, ${options.stepSeconds} s per step after ${options.warmupSeconds} s warm-up, rates ${options.rates.join(', ')} msg/s (aggregate), ` +
      `stop at p99 > ${options.p99LimitMs} ms or any loss`,
    `command: ${['npm run bench --', ...process.argv.slice(2)].join(' ')}`,
  ];
  const output = [
    ...header,
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

/**
 * Relay benchmark (not a test): rooms of two peers exchange offer-sized and
 * candidate-sized signals at stepped aggregate rates through each server, and the
 * load process measures one-way latency while /proc gives the server's CPU per
 * relayed message. Servers: the bare ws relay (the floor), two bare relays joined by Redis
 * pub/sub (the two-node floor), the PeerJS server, our gateway on one node, and on two
 * nodes over one Redis; when named, the same gateways
 * on a Redis Cluster, compared with their one-Redis twins. See docs/benchmarks.md.
 *
 *   npm run bench                      # default run, about 10 minutes
 *   npm run bench -- --servers=bare,gateway-1 --rates=2000 --step-seconds=10
 *   npx tsx bench/relay-bench.ts --servers=gateway-1,gateway-1-cluster,gateway-2,gateway-2-cluster --rates=2000,8000
 */
import { writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release } from 'node:os';
import { Contender, log } from './contender';
import { hasTaskset, pinProcess } from './util/pinning';
import { parseOptions, RelayBenchOptions, USAGE } from './options';
import { stopTracing, tracingLine, withTracing } from './util/bench-tracing';
import { DISTURBED_SHARE, goalLines, joinsTable, ServerRecord, stepAt, stepsTable, summaryTable, targetLines } from './report';

const ratio = (cluster: number | undefined, single: number | undefined) =>
  cluster === undefined || single === undefined || !Number.isFinite(cluster / single) ? '-' : `${(cluster / single).toFixed(2)}x`;
const fixed = (value: number | undefined, digits: number) => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));

/**
 * Each `-cluster` server against its one-Redis twin of the same run, rate by rate and for
 * the joins: what moving rooms, routes and session events onto a cluster costs.
 */
function clusterLines(records: readonly ServerRecord[], options: RelayBenchOptions): string[] {
  const byName = new Map(records.map((r) => [r.name, r]));
  const lines: string[] = [];
  for (const nodes of ['gateway-1', 'gateway-2']) {
    const single = byName.get(nodes);
    const cluster = byName.get(`${nodes}-cluster`);
    if (!single || !cluster) continue;
    for (const kind of options.sizes) {
      for (const rate of options.rates) {
        const a = stepAt(single, kind, rate);
        const b = stepAt(cluster, kind, rate);
        if (!a || !b) continue;
        lines.push(
          `${nodes}-cluster / ${nodes} ${kind} @${rate}/s: server CPU ${fixed(b.serverCpuUsPerMsg, 1)} / ${fixed(a.serverCpuUsPerMsg, 1)} us/msg = ${ratio(b.serverCpuUsPerMsg, a.serverCpuUsPerMsg)}; ` +
            `p99 ${fixed(b.result.latency.p99, 2)} / ${fixed(a.result.latency.p99, 2)} ms = ${ratio(b.result.latency.p99, a.result.latency.p99)}; ` +
            `Redis CPU ${fixed(b.redisCpuUsPerMsg, 1)} / ${fixed(a.redisCpuUsPerMsg, 1)} us/msg = ${ratio(b.redisCpuUsPerMsg, a.redisCpuUsPerMsg)}`,
        );
      }
    }
    const ja = single.joins && !('failed' in single.joins) ? single.joins : undefined;
    const jb = cluster.joins && !('failed' in cluster.joins) ? cluster.joins : undefined;
    if (ja && jb) {
      lines.push(
        `${nodes}-cluster / ${nodes} joins: ${fixed(jb.joinsPerSecond, 0)} / ${fixed(ja.joinsPerSecond, 0)} joins/s = ${ratio(jb.joinsPerSecond, ja.joinsPerSecond)}; ` +
          `server CPU ${fixed(jb.serverCpuUsPerJoin, 0)} / ${fixed(ja.serverCpuUsPerJoin, 0)} us/join = ${ratio(jb.serverCpuUsPerJoin, ja.serverCpuUsPerJoin)}; ` +
          `RSS ${fixed(jb.rssBytesPerPeer / 1024, 1)} / ${fixed(ja.rssBytesPerPeer / 1024, 1)} KB per idle connection = ${ratio(jb.rssBytesPerPeer, ja.rssBytesPerPeer)}`,
      );
    }
  }
  return lines;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = await withTracing(parseOptions());
  // the orchestrator mostly sleeps, but keep it off the server's core too
  const pinned = hasTaskset() && pinProcess(process.pid, options.loadCore);
  const started = new Date();
  const runTag = started.getTime().toString(36);
  const contenders = options.servers.map((name) => new Contender(name, options));
  try {
    for (const contender of contenders) await contender.setUp(runTag);
    // each rate is measured on every server before the next rate; the ratio rate several times, in turn
    for (const kind of options.sizes) {
      for (const rate of options.rates) {
        const runs = rate === options.ratioRate ? options.ratioRepeats : 1;
        for (let run = 0; run < runs; run++) for (const contender of contenders) await contender.run(kind, rate);
        for (const contender of contenders) contender.settle();
      }
    }
    // last: thousands of idle connections would weigh on the relay steps
    for (let run = 0; run < options.joinRepeats; run++) for (const contender of contenders) await contender.measureJoins(runTag);
  } finally {
    for (const contender of contenders) await contender.tearDown();
    await stopTracing();
  }
  const records = contenders.map((contender) => contender.record());

  const joins = joinsTable(records);
  const cluster = clusterLines(records, options);
  const disturbed = records.flatMap((r) => [
    ...r.steps.filter((s) => s.otherCpuShare > DISTURBED_SHARE).map((s) => `${r.name} ${s.kind} ${s.rate}/s`),
    ...r.joinRuns.flatMap((joins, i) => (!('failed' in joins) && joins.otherCpuShare > DISTURBED_SHARE ? [`${r.name} joins (run ${i + 1})`] : [])),
  ]);
  const output = [
    `# relay benchmark, ${started.toISOString()}`,
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), ${arch()}, Linux ${release()}, node ${process.version}; load average at start ${loadavg()[0].toFixed(2)}`,
    pinned
      ? `pinning: servers on core ${options.serverCore}; load process, Redis and this orchestrator on core ${options.loadCore}`
      : 'pinning: NONE (taskset missing): servers and load share all cores, figures are noisier',
    `load: ${options.rooms} rooms of 2 peers, ${options.stepSeconds} s per step after ${options.warmupSeconds} s warm-up, rates ${options.rates.join(', ')} msg/s (aggregate), ` +
      `${options.tickMs} ms sender ticks; stepping stops at p99 > ${options.p99LimitMs} ms or any loss; ` +
      `${options.ratioRate} msg/s run ${options.ratioRepeats} times per server for ${options.ratioStepSeconds} s each, in turn, and compared as medians`,
    `command: ${['npm run bench --', ...process.argv.slice(2)].join(' ')}`,
    tracingLine(options),
    '',
    '## every step',
    '',
    stepsTable(records),
    '',
    `## summary (comparison at ${options.ratioRate} msg/s)`,
    '',
    summaryTable(records, options),
    '',
    ...(joins ? [`## idle connections (${options.joins}, rooms of two, ${options.joinConcurrency} rooms joining at a time, ${options.joinRepeats} runs a server in turn; the goals read each server's run of median rate)`, '', joins, ''] : []),
    ...(cluster.length > 0 ? ['## Redis Cluster (3 masters, 3 replicas) against one Redis, same run', '', ...cluster, ''] : []),
    '## goals',
    '',
    ...goalLines(records, options),
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

/**
 * Cross-node fan-out micro-benchmark (not a test), Redis pub/sub only, two designs:
 *  1. per-room channels: a node SUBSCRIBEs to a channel per room it hosts; a signal is
 *     published on the room's channel and every node hosting the room gets it (the
 *     sender's node too, and drops it);
 *  2. per-node channels: a node SUBSCRIBEs once to its own channel; a signal is
 *     published on the channel of the node that holds the receiving peer.
 * Two ioredis subscriber connections in this one process stand for two gateway nodes,
 * so publish->receive latency is measured on one clock. A throwaway redis-server runs
 * pinned to its own core; its CPU per message comes from /proc.
 *
 *   npm run bench:fanout [-- --rooms=1000 --rate=2000 --seconds=4 --churn-per-second=200 --sizes=300,3000]
 */
import { cpus, release } from 'node:os';
import { performance } from 'node:perf_hooks';
import { coreBusyDelta, readCoreBusy } from './util/core-usage';
import { readCpu, cpuDeltaNs } from './util/cpu-time';
import { OtherLoadProbe } from './util/other-load';
import { hasTaskset, pinProcess } from './util/pinning';
import { startRedis } from './util/redis-server';
import { summarizeMicros, LatencySummary } from './util/stats';
import { FanoutOptions, parseFanoutOptions } from './fanout/fanout-options';
import { publishAtRate } from './fanout/publish-at-rate';
import { RoomChurn } from './fanout/room-churn';
import { SimulatedNode } from './fanout/simulated-node';
import { rttSummary, timed } from './fanout/timed-ops';
import { markdownTable } from './util/markdown-table';

const roomChannel = (room: string) => `bench:fanout:room:${room}`;
const nodeChannel = (node: SimulatedNode) => `bench:fanout:node:${node.id}`;

interface LatencyRow {
  readonly design: string;
  readonly size: number;
  readonly churn: number;
  readonly sent: number;
  readonly lost: number;
  readonly latency: LatencySummary;
  /** Messages Redis wrote to subscribers per message published. */
  readonly deliveriesPerMessage: number;
  readonly redisUsPerMessage: number;
  /** CPU of this process (both simulated nodes: publish, receive, drop echoes) per message. */
  readonly nodesUsPerMessage: number;
  /** CPU on either core used outside this bench, as a share of one core: a disturbed phase. */
  readonly otherShare: number;
  readonly joinRtt?: { p50: number; p99: number; count: number };
  readonly leaveRtt?: { p50: number; p99: number; count: number };
}

/** A signal of `size` bytes, shaped like the gateway's cross-node payload. */
function body(size: number): string {
  const head = '{"type":"candidate","from":"6f1c2a9e-1111-2222-3333-444455556666","candidate":"';
  return head + 'c'.repeat(Math.max(0, size - head.length - 2)) + '"}';
}

async function measure(
  options: FanoutOptions,
  redisPid: number,
  nodes: readonly [SimulatedNode, SimulatedNode],
  design: string,
  size: number,
  channelFor: (from: SimulatedNode, to: SimulatedNode, room: string) => string,
  churn?: RoomChurn,
): Promise<LatencyRow> {
  const capacity = Math.ceil(options.rate * options.seconds) + 10;
  for (const node of nodes) node.reset(capacity);
  const payload = body(size);
  const before = readCpu(redisPid);
  const selfBefore = readCpu(process.pid);
  const coresBefore = readCoreBusy();
  const wallStart = performance.now();
  churn?.start(options.churnPerSecond);
  const sent = await publishAtRate(options.rate, options.seconds * 1000, (i) => {
    // spread over the rooms; both directions alternate
    const room = String((i * 7919) % options.rooms);
    const [from, to] = i % 2 === 0 ? nodes : [nodes[1], nodes[0]];
    from.publish(channelFor(from, to, room), room, payload);
  });
  const deadline = Date.now() + 2000;
  while (nodes[0].received + nodes[1].received < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await churn?.stop();
  const redisAfter = readCpu(redisPid);
  const redisNs = cpuDeltaNs(before, redisAfter);
  const selfNs = readCpu(process.pid).statNs - selfBefore.statNs;
  const coresAfter = readCoreBusy();
  const wallNs = (performance.now() - wallStart) * 1e6;
  const otherShare = Math.max(
    0,
    (coreBusyDelta(coresBefore, coresAfter, options.redisCore) - (redisAfter.statNs - before.statNs)) / wallNs,
    (coreBusyDelta(coresBefore, coresAfter, options.clientCore) - selfNs) / wallNs,
  );
  const received = nodes[0].received + nodes[1].received;
  const all = new Float64Array(received);
  all.set(nodes[0].latencies.subarray(0, nodes[0].received));
  all.set(nodes[1].latencies.subarray(0, nodes[1].received), nodes[0].received);
  return {
    design,
    size: Buffer.byteLength(payload),
    churn: churn ? options.churnPerSecond : 0,
    sent,
    lost: sent - received,
    latency: summarizeMicros(all),
    deliveriesPerMessage: (received + nodes[0].echoes + nodes[1].echoes) / sent,
    // churn ops run in the same window: their Redis cost is in this figure too
    redisUsPerMessage: redisNs / 1000 / sent,
    nodesUsPerMessage: cpuDeltaNs(selfBefore, readCpu(process.pid)) / 1000 / sent,
    otherShare,
    joinRtt: churn ? rttSummary(churn.joinRtts) : undefined,
    leaveRtt: churn ? rttSummary(churn.leaveRtts) : undefined,
  };
}

/**
 * Runs `measure` when the two cores are quiet (up to 5 s of waiting), and once more if
 * processes outside the bench disturbed it anyway: this machine may be shared.
 */
async function measureQuietly(
  options: FanoutOptions,
  redisPid: number,
  nodes: readonly [SimulatedNode, SimulatedNode],
  design: string,
  size: number,
  channelFor: (from: SimulatedNode, to: SimulatedNode, room: string) => string,
  makeChurn?: () => RoomChurn,
): Promise<LatencyRow> {
  const probe = new OtherLoadProbe(options.redisCore, options.clientCore, [redisPid], [process.pid]);
  let row: LatencyRow | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    await probe.waitForQuiet(0.05, 5000);
    row = await measure(options, redisPid, nodes, design, size, channelFor, makeChurn?.());
    if (row.otherShare <= 0.1) break;
  }
  return row!;
}

async function usedMemory(node: SimulatedNode): Promise<number> {
  const info = await node.publisher.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

async function subscriptionCount(node: SimulatedNode): Promise<number> {
  const clients = (await node.publisher.client('LIST')) as string;
  return [...clients.matchAll(/ sub=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(3));

async function main(): Promise<void> {
  const options = parseFanoutOptions();
  const pinned = hasTaskset() && pinProcess(process.pid, options.clientCore);
  const redis = await startRedis(options.redisCore);
  const nodes: [SimulatedNode, SimulatedNode] = [new SimulatedNode('node-a', redis.url), new SimulatedNode('node-b', redis.url)];
  const log = (line: string) => process.stderr.write(`[fanout] ${line}\n`);
  try {
    await Promise.all(nodes.map((n) => n.connect()));
    const rooms = Array.from({ length: options.rooms }, (_, i) => String(i));
    const rows: LatencyRow[] = [];

    // 1. per-room channels: every room is hosted by both nodes (its peers are split)
    log(`per-room: ${options.rooms} rooms x 2 nodes subscribing`);
    const memoryBefore = await usedMemory(nodes[0]);
    const joinRtts: number[] = [];
    let cpuBefore = readCpu(redis.process.pid);
    for (const room of rooms) for (const node of nodes) await timed(joinRtts, () => node.subscriber.subscribe(roomChannel(room)));
    const joinUs = cpuDeltaNs(cpuBefore, readCpu(redis.process.pid)) / 1000 / joinRtts.length;
    const subscriptions = await subscriptionCount(nodes[0]);
    const bytesPerSubscription = ((await usedMemory(nodes[0])) - memoryBefore) / subscriptions;
    const perRoom = (from: SimulatedNode, to: SimulatedNode, room: string) => roomChannel(room);
    for (const size of options.sizes) {
      log(`per-room: ${size} B at ${options.rate}/s`);
      rows.push(await measureQuietly(options, redis.process.pid, nodes, 'per-room', size, perRoom));
      log(`per-room: ${size} B at ${options.rate}/s with ${options.churnPerSecond} joins+leaves/s`);
      rows.push(await measureQuietly(options, redis.process.pid, nodes, 'per-room', size, perRoom, () => new RoomChurn(nodes, roomChannel)));
    }
    const leaveRtts: number[] = [];
    cpuBefore = readCpu(redis.process.pid);
    for (const room of rooms) for (const node of nodes) await timed(leaveRtts, () => node.subscriber.unsubscribe(roomChannel(room)));
    const leaveUs = cpuDeltaNs(cpuBefore, readCpu(redis.process.pid)) / 1000 / leaveRtts.length;

    // 2. per-node channels: one subscription per node, whatever the rooms
    log('per-node: 2 nodes subscribing once');
    for (const node of nodes) await node.subscriber.subscribe(nodeChannel(node));
    const perNodeSubscriptions = await subscriptionCount(nodes[0]);
    for (const size of options.sizes) {
      log(`per-node: ${size} B at ${options.rate}/s`);
      rows.push(await measureQuietly(options, redis.process.pid, nodes, 'per-node', size, (from, to) => nodeChannel(to)));
    }

    const joins = rttSummary(joinRtts);
    const leaves = rttSummary(leaveRtts);
    const output = [
      `# cross-node fan-out, ${new Date().toISOString()}`,
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), Linux ${release()}, node ${process.version}`,
      pinned ? `pinning: redis-server on core ${options.redisCore}, the two simulated nodes on core ${options.clientCore}` : 'pinning: NONE (taskset missing)',
      `load: ${options.rooms} rooms, each with one peer on each node; ${options.rate} msg/s across nodes, ${options.seconds} s per phase`,
      `command: npm run bench:fanout -- ${process.argv.slice(2).join(' ')}`.trimEnd(),
      '',
      '## room join and leave cost',
      '',
      markdownTable(
        ['design', 'subscriptions', 'Redis bytes/subscription', 'join RTT p50/p99 ms (idle)', 'leave RTT p50/p99 ms (idle)', 'Redis CPU us/join', 'Redis CPU us/leave'],
        [
          [
            'per-room',
            `${subscriptions} (rooms x nodes hosting them)`,
            bytesPerSubscription.toFixed(0),
            `${ms(joins.p50)} / ${ms(joins.p99)}`,
            `${ms(leaves.p50)} / ${ms(leaves.p99)}`,
            joinUs.toFixed(1),
            leaveUs.toFixed(1),
          ],
          ['per-node', `${perNodeSubscriptions} (one per node)`, '-', 'none: no pub/sub op on join', 'none', '0', '0'],
        ],
      ),
      '',
      '## publish -> receive across nodes',
      '',
      markdownTable(
        ['design', 'bytes', 'churn joins+leaves/s', 'p50 ms', 'p99 ms', 'max ms', 'lost', 'deliveries/msg', 'Redis CPU us/msg', 'nodes CPU us/msg', 'join RTT p50/p99 ms', 'leave RTT p50/p99 ms', 'other %'],
        rows.map((r) => [
          r.design,
          String(r.size),
          String(r.churn),
          ms(r.latency.p50),
          ms(r.latency.p99),
          ms(r.latency.max),
          String(r.lost),
          r.deliveriesPerMessage.toFixed(2),
          r.redisUsPerMessage.toFixed(2),
          r.nodesUsPerMessage.toFixed(2),
          r.joinRtt ? `${ms(r.joinRtt.p50)} / ${ms(r.joinRtt.p99)}` : '-',
          r.leaveRtt ? `${ms(r.leaveRtt.p50)} / ${ms(r.leaveRtt.p99)}` : '-',
          (r.otherShare * 100).toFixed(0),
        ]),
      ),
      '',
      'deliveries/msg: per-room channels deliver each signal to every node hosting the room, the sender\'s own node included;',
      'per-node channels deliver it once. Redis CPU in churn rows includes the SUBSCRIBE/UNSUBSCRIBE work of the churn.',
      'nodes CPU: this process, i.e. both simulated nodes publishing and receiving (ioredis), per message published.',
      'other %: CPU used on the Redis or the client core by processes outside this bench; above a few percent, rerun on a quiet machine.',
    ].join('\n');
    process.stdout.write(`${output}\n`);
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    await redis.process.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});

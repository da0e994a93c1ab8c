/**
 * The relay's JavaScript alone (not a test): frames through SignalDispatcher, RoomHub and
 * ConnectedPeer in one process, with sockets that send nothing, session events into the
 * real Redis stream sink over a Redis that answers at once, the real metrics and message
 * limits. No kernel, no `ws`: what the relay bench cannot separate from the socket writes.
 * Prints the best, p10 and median of 100 rounds of 1,000 frames, in ns per frame.
 *
 *   npx tsx bench/relay-hot-path.ts [offer|candidate]
 */
import 'reflect-metadata';
import { Counter, Gauge, Histogram } from 'prom-client';
import { RedisStreamSessionEventSink } from '../libs/cluster/src';
import { NegotiationClock, PeerBus, RoomDirectory, RoomHub, RoomMember } from '../libs/room/src';
import type { NodeId, PeerId, RoomId } from '../libs/schema/src';
import type { GatewayConfig } from '../apps/gateway/src/config/gateway-config';
import { SignalingMetrics } from '../apps/gateway/src/metrics/signaling-metrics';
import type { ProbeService } from '../apps/gateway/src/probe/probe.service';
import { MessageRateLimitService } from '../apps/gateway/src/rate-limit/message-rate-limit.service';
import { ConnectedPeer } from '../apps/gateway/src/signaling/connected-peer';
import { SignalDispatcher } from '../apps/gateway/src/signaling/signal-dispatcher';
import type { SessionTracing } from '../apps/gateway/src/tracing/session-tracing';
import { candidateLine, offerSdp, STAMP_PLACEHOLDER } from './load/payloads';

const kind = process.argv[2] === 'candidate' ? 'candidate' : 'offer';
const node = 'bench-node-1' as NodeId;
const room = 'bench-room' as RoomId;
const ids = ['3f1c2a9e-7b1d-4c55-9a0e-2b7c9d1e0f42', 'a1b2c3d4-7b1d-4c55-9a0e-2b7c9d1e0f42'] as PeerId[];

// the per-peer limit is counted but never reached; the IP and room limits are off, as in the relay bench
const config = { nodeId: node, rateLimits: { messagesPerPeer: 1e12, messagesPerIp: 0, messagesPerRoom: 0 } } as unknown as GatewayConfig;
const counter = (name: string, labelNames: string[] = []) => new Counter({ name, help: name, labelNames, registers: [] });
const gauge = (name: string) => new Gauge({ name, help: name, registers: [] });
const histogram = (name: string, labelNames: string[] = []) => new Histogram({ name, help: name, labelNames, registers: [] });
const metrics = new SignalingMetrics(
  gauge('websockets'),
  gauge('rooms'),
  counter('messages', ['msg_type', 'direction']),
  histogram('ice'),
  counter('rejects'),
  histogram('redis', ['operation']),
  histogram('fanout'),
  counter('admissions', ['result']),
  counter('left', ['reason']),
  gauge('pending'),
  counter('written'),
  counter('write_failures'),
  counter('dropped'),
  counter('reaped'),
  counter('resume_dropped'),
  counter('heartbeat_timeouts'),
);
const negotiations = new NegotiationClock();
const bus = { publish: () => undefined, subscribe: async () => undefined, onUndelivered: () => undefined } as unknown as PeerBus;
const hub = new RoomHub(node, bus, {
  delivered: (deliveredRoom, to, type, from) => {
    metrics.message(type, 'out');
    if (type === 'offer' && from !== undefined) negotiations.offerDelivered(deliveredRoom, from, to);
  },
});
// on one Redis the sink writes every shard's entry with one script call, sent as its own RESP
// bytes (sendCommand); a stand-in that fails it would leave every event queued, and the rounds
// would measure the queue growing instead of the relay
const redis = {
  defineCommand: () => undefined,
  sendCommand: (command: { resolve(value: unknown): void }) => command.resolve(1),
  sgAppendToSessionStreams: async (keyCount: number) => keyCount,
  xadd: async () => '0-1',
} as unknown as ConstructorParameters<typeof RedisStreamSessionEventSink>[0];
const events = new RedisStreamSessionEventSink(
  redis,
  { flushIntervalMs: 100, maxBatch: 500, maxBuffered: 200_000, streamMaxLen: 100_000 },
  { written: () => undefined, failed: () => undefined, dropped: () => undefined, pending: () => undefined },
);
const limits = new MessageRateLimitService(config, { add: async () => [] } as never, counter('rate_limited', ['scope']), counter('sync_failures'));
const tracing = { on: false } as unknown as SessionTracing;
const dispatcher = new SignalDispatcher(config, hub, {} as RoomDirectory, events, negotiations, metrics, limits, {} as ProbeService, tracing);

const members: RoomMember[] = ids.map((peerId) => ({ peerId, node, user: null, joinedAt: 0 }));
const socket = () => ({ readyState: 1, bufferedAmount: 0, send: () => undefined }) as unknown as ConstructorParameters<typeof ConnectedPeer>[0];
const peers = members.map((member) => {
  const peer = new ConnectedPeer(socket(), room, member.peerId, '127.0.0.1', null, undefined, 1 << 20);
  peer.member = member;
  hub.beginJoin(room, member.peerId);
  hub.completeJoin(member, room, members.filter((other) => other !== member), peer, '{}');
  return peer;
});
const stamp = '12.123456789012';
const frames = ids.map((_, i) => {
  const to = ids[1 - i];
  const body =
    kind === 'offer'
      ? { type: 'offer', to, sdp: offerSdp().replace(STAMP_PLACEHOLDER, stamp) }
      : { type: 'candidate', to, candidate: candidateLine().replace(STAMP_PLACEHOLDER, stamp), sdpMid: '0', sdpMLineIndex: 0 };
  return Buffer.from(JSON.stringify(body));
});

async function main(): Promise<void> {
  const perRound = 1_000;
  const samples: number[] = [];
  for (let round = 0; round < 120; round++) {
    const started = process.hrtime.bigint();
    // a fresh buffer per frame, as ws hands each message
    for (let i = 0; i < perRound; i++) dispatcher.handle(peers[i & 1], Buffer.from(frames[i & 1]));
    // the round's session events are written within it, as a node writes them every flush interval
    for (let writes = 0; events.pendingEvents > 0; writes++) {
      if (writes === 10) throw new Error(`the session-event sink still holds ${events.pendingEvents} events: its writes fail`);
      await events.flush();
    }
    // timers run between rounds
    await new Promise((done) => setImmediate(done));
    if (round >= 20) samples.push(Number(process.hrtime.bigint() - started) / perRound);
  }
  samples.sort((a, b) => a - b);
  const at = (share: number) => samples[Math.floor(share * (samples.length - 1))].toFixed(0);
  process.stdout.write(`${kind}: best ${at(0)} ns, p10 ${at(0.1)} ns, median ${at(0.5)} ns per frame\n`);
  await events.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

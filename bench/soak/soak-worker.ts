/**
 * One load process of the soak: holds its share of the connections (rooms of two on one
 * gateway), answers the gateway's heartbeat pings (ws's automatic pong, as browsers do),
 * counts every close it did not ask for, and makes the first rooms talk: each talking peer
 * sends stamped offer and candidate signals to the other of its room at a steady rate, and
 * their one-way latency is measured here, where both ends of a room live on one clock.
 * Driven over IPC by bench/soak/soak-workers.ts; started with its file limit raised.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { BenchPeer, ControlFrame } from '../load/bench-peer';
import { roomConnector } from '../load/room-connectors';
import { SignalKind, Stamp } from '../load/payloads';
import { summarizeMicros } from '../util/stats';
import { readFdLimit } from './fd-limit';
import { LoadStatus, SoakCommand, SoakReply, TalkOutcome } from './soak-ipc';

/** The stamp's step field says which kind a frame was, so the two sizes are summarised apart. */
const STEP_OF: Record<SignalKind, number> = { candidate: 1, offer: 2 };
/** Sender timer period: a few frames per tick at the soak's rates, spread over the second. */
const TICK_MS = 10;
const SAMPLE_LIMIT = 5;

const nowNs = () => Math.round(performance.now() * 1e6);

const peers: BenchPeer[] = [];
const talkers: BenchPeer[] = [];
const latencies: Record<SignalKind, number[]> = { offer: [], candidate: [] };
/** Latencies since the last status, for the timeline. */
let windowLatencies: number[] = [];
const closesByCode: Record<string, number> = {};
const closeSamples: string[] = [];
const errorSamples: string[] = [];
let pings = 0;
let sent = 0;
let received = 0;
let errorFrames = 0;
let closing = false;
let talkTimer: NodeJS.Timeout | undefined;

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

function onStamp(stamp: Stamp): void {
  const us = (nowNs() - stamp.ns) / 1000;
  received++;
  (stamp.step === STEP_OF.offer ? latencies.offer : latencies.candidate).push(us);
  windowLatencies.push(us);
}

function onControl(frame: ControlFrame): void {
  if (frame.type !== 'error' && frame.type !== 'peer-left' && frame.type !== 'unparsable') return;
  errorFrames++;
  if (errorSamples.length < SAMPLE_LIMIT) errorSamples.push(JSON.stringify(frame).slice(0, 300));
}

/** Every close we did not ask for counts: a heartbeat miss ends with 1006 (terminate, no close frame). */
function watch(peer: BenchPeer, room: string): void {
  peer.socket.on('ping', () => pings++);
  peer.socket.on('close', (code: number, reason: Buffer) => {
    if (closing) return;
    closesByCode[code] = (closesByCode[code] ?? 0) + 1;
    if (closeSamples.length < SAMPLE_LIMIT) closeSamples.push(`${room}: code ${code}${reason.length > 0 ? ` (${reason.toString()})` : ''} at ${new Date().toISOString()}`);
  });
}

async function join(command: Extract<SoakCommand, { cmd: 'join' }>): Promise<SoakReply> {
  const connect = roomConnector({ protocol: 'gateway', urls: [command.url] }, { onStamp, onControl });
  const started = performance.now();
  const failures: string[] = [];
  let failedRooms = 0;
  let next = 0;
  // `concurrency` rooms in flight at any time, as independent clients would arrive
  const joinNext = async (): Promise<void> => {
    while (next < command.rooms) {
      const index = next++;
      const room = `${command.roomPrefix}-${index}`;
      try {
        const pair = await connect(room);
        for (const peer of pair) {
          watch(peer, room);
          peers.push(peer);
        }
        if (index < command.talkingRooms) talkers.push(...pair);
      } catch (error) {
        // a soak reports how many it holds; one refused room does not end it
        failedRooms++;
        if (failures.length < SAMPLE_LIMIT) failures.push(`${room}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(command.concurrency, command.rooms) }, joinNext));
  return { ok: true, joined: { peers: peers.length, failedRooms, failureSamples: failures, joinMs: performance.now() - started } };
}

/**
 * Open loop, like the relay bench: frames leave on schedule, round-robin over the talkers,
 * each alternating offer and candidate, half the talkers starting with each, so that every
 * second carries both kinds and a stall (a heartbeat pass) meets both alike.
 */
function talk(ratePerPeer: number): void {
  if (talkers.length === 0) return;
  const rate = ratePerPeer * talkers.length;
  const startMs = performance.now();
  let index = 0;
  const tick = () => {
    const due = Math.floor(((performance.now() - startMs) * rate) / 1000);
    while (index < due) {
      const slot = index % talkers.length;
      const peer = talkers[slot];
      const kind: SignalKind = (Math.floor(index / talkers.length) + slot) % 2 === 0 ? 'candidate' : 'offer';
      index++;
      if (peer.socket.readyState !== peer.socket.OPEN) continue;
      peer.send(kind, `${STEP_OF[kind]}.${nowNs()}`);
      sent++;
    }
    talkTimer = setTimeout(tick, TICK_MS);
  };
  tick();
}

async function stopTalking(drainMs: number): Promise<TalkOutcome> {
  if (talkTimer) clearTimeout(talkTimer);
  talkTimer = undefined;
  const deadline = performance.now() + drainMs;
  while (received < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const all = Float64Array.from([...latencies.offer, ...latencies.candidate]);
  return {
    talkers: talkers.length,
    sent,
    received,
    lost: Math.max(0, sent - received),
    all: summarizeMicros(all),
    offer: summarizeMicros(Float64Array.from(latencies.offer)),
    candidate: summarizeMicros(Float64Array.from(latencies.candidate)),
  };
}

function status(): LoadStatus {
  const window = summarizeMicros(Float64Array.from(windowLatencies));
  windowLatencies = [];
  const loopDelayP99Ms = loopDelay.percentile(99) / 1e6;
  const loopDelayMaxMs = loopDelay.max / 1e6;
  loopDelay.reset();
  return {
    open: peers.reduce((n, peer) => n + (peer.socket.readyState === peer.socket.OPEN ? 1 : 0), 0),
    closesByCode: { ...closesByCode },
    closeSamples: [...closeSamples],
    pings,
    sent,
    received,
    window,
    errorFrames,
    errorSamples: [...errorSamples],
    loopDelayP99Ms,
    loopDelayMaxMs,
  };
}

async function closeAll(): Promise<void> {
  closing = true;
  const allClosed = Promise.all(peers.map((peer) => new Promise((done) => (peer.socket.readyState === peer.socket.CLOSED ? done(undefined) : peer.socket.once('close', done)))));
  for (const peer of peers) peer.close();
  // a clean close lets the gateway count a departure, not a lost socket
  await Promise.race([allClosed, new Promise((done) => setTimeout(done, 10_000))]);
}

async function handle(command: SoakCommand): Promise<SoakReply> {
  switch (command.cmd) {
    case 'hello':
      return { ok: true, hello: { pid: process.pid, fdLimit: readFdLimit('self') } };
    case 'join':
      return join(command);
    case 'talk':
      talk(command.ratePerPeer);
      return { ok: true, talking: true };
    case 'status':
      return { ok: true, status: status() };
    case 'stop-talk':
      return { ok: true, talked: await stopTalking(command.drainMs) };
    case 'close':
      await closeAll();
      return { ok: true, closed: true };
  }
}

process.on('message', (command: SoakCommand) => {
  handle(command).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies SoakReply),
  );
});
process.on('disconnect', () => process.exit(0));

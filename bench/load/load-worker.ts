/**
 * The load process: holds every peer connection of one server under test, sends
 * stamped signals at a fixed rate and measures their one-way latency. Sender and
 * receiver share this process's clock. Driven over IPC by bench/load/load-driver.ts;
 * run pinned to a core other than the server's.
 */
import { BenchPeer } from './bench-peer';
import { WorkerCommand, WorkerReply } from './ipc';
import { roomConnector } from './room-connectors';
import { StepRunner } from './step-runner';

const runner = new StepRunner();
let rooms: [BenchPeer, BenchPeer][] = [];
/** Rooms of the join measurement: connected, then silent. */
const idleRooms: [BenchPeer, BenchPeer][] = [];

/** Rooms joined at once: the servers see a burst of joins but not 100 at a time. */
const CONNECT_CONCURRENCY = 5;

async function handle(command: WorkerCommand): Promise<WorkerReply> {
  switch (command.cmd) {
    case 'connect': {
      const started = Date.now();
      const connect = roomConnector(command.target, runner);
      const names = Array.from({ length: command.rooms }, (_, i) => `${command.roomPrefix}-${i}`);
      rooms = [];
      for (let i = 0; i < names.length; i += CONNECT_CONCURRENCY) {
        rooms.push(...(await Promise.all(names.slice(i, i + CONNECT_CONCURRENCY).map(connect))));
      }
      runner.setRooms(rooms);
      const [a] = rooms[0];
      return {
        ok: true,
        connected: {
          peers: rooms.length * 2,
          connectMs: Date.now() - started,
          frameBytes: { offer: a.templates!.offer.bytes, candidate: a.templates!.candidate.bytes },
        },
      };
    }
    case 'join': {
      const connect = roomConnector(command.target, { onStamp: () => undefined, onControl: () => undefined });
      const names = Array.from({ length: command.rooms }, (_, i) => `${command.roomPrefix}-${i}`);
      const started = performance.now();
      // `concurrency` joins in flight at any time, as independent clients would arrive
      let next = 0;
      const joinNext = async (): Promise<void> => {
        while (next < names.length) idleRooms.push(await connect(names[next++]));
      };
      await Promise.all(Array.from({ length: Math.min(command.concurrency, names.length) }, joinNext));
      return { ok: true, joined: { peers: command.rooms * 2, joinMs: performance.now() - started } };
    }
    case 'step':
      return { ok: true, stepped: await runner.run(command.step, command.kind, command.rate, command.durationMs, command.drainMs, command.tickMs) };
    case 'close': {
      const peers = [...rooms.flat(), ...idleRooms.flat()];
      // drop the step runner's "closed by server" accounting first
      for (const peer of peers) peer.socket.removeAllListeners('close');
      const allClosed = Promise.all(peers.map((peer) => new Promise((done) => peer.socket.once('close', done))));
      for (const peer of peers) peer.close();
      // a clean close lets the server count a departure, not a lost socket
      await Promise.race([allClosed, new Promise((done) => setTimeout(done, 2000))]);
      return { ok: true, closed: true };
    }
  }
}

process.on('message', (command: WorkerCommand) => {
  handle(command).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
  );
});
process.on('disconnect', () => process.exit(0));

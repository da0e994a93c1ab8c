/**
 * The two-node floor: one node of a bare `ws` relay pair joined by Redis pub/sub, the
 * least any relay with one Redis hop per cross-node message can do. Each connection joins
 * the room named by `?room=`; every frame it sends goes as is to the room's other members
 * here and, in one PUBLISH of `ROOM\n` + the frame's bytes, to the other node, which
 * forwards the bytes to its members of that room. No parsing, no ids, no directory (the
 * other node is named at start), no batching, no delivery check (the PUBLISH reply is read
 * by ioredis, as Redis always sends it, and ignored). Run as its own process:
 *   node --import tsx bench/servers/bare-two-node-relay.ts PORT REDIS_URL OWN_CHANNEL OTHER_CHANNEL
 */
import Redis from 'ioredis';
import { WebSocket, WebSocketServer } from 'ws';

const [portArg, redisUrl, ownChannel, otherChannel] = process.argv.slice(2);
if (!portArg || !redisUrl || !ownChannel || !otherChannel) {
  process.stderr.write('usage: bare-two-node-relay.ts PORT REDIS_URL OWN_CHANNEL OTHER_CHANNEL\n');
  process.exit(2);
}
const NEWLINE = 0x0a;
const TEXT_FRAME = { binary: false } as const;

const rooms = new Map<string, Set<WebSocket>>();
const publisher = new Redis(redisUrl);
const subscriber = new Redis(redisUrl);

subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
  const end = message.indexOf(NEWLINE);
  if (end === -1) return;
  const members = rooms.get(message.toString('latin1', 0, end));
  if (!members) return;
  const frame = message.subarray(end + 1);
  for (const member of members) member.send(frame, TEXT_FRAME);
});

async function start(): Promise<void> {
  await subscriber.subscribe(ownChannel);
  const server = new WebSocketServer({ host: '127.0.0.1', port: Number(portArg), perMessageDeflate: false });
  server.on('connection', (socket, request) => {
    const room = new URL(request.url ?? '/', 'http://relay').searchParams.get('room') ?? '';
    const prefix = Buffer.from(`${room}\n`, 'latin1');
    let members = rooms.get(room);
    if (!members) rooms.set(room, (members = new Set()));
    members.add(socket);
    socket.on('message', (data, isBinary) => {
      for (const other of members) if (other !== socket) other.send(data, { binary: isBinary });
      void publisher.publish(otherChannel, Buffer.concat([prefix, data as Buffer])).catch(() => undefined);
    });
    socket.on('close', () => {
      members.delete(socket);
      if (members.size === 0) rooms.delete(room);
    });
    socket.on('error', () => socket.terminate());
  });
  server.on('listening', () => process.stdout.write(`listening ${portArg}\n`));
  process.on('SIGTERM', () => {
    for (const client of server.clients) client.terminate();
    server.close(() => {
      publisher.disconnect();
      subscriber.disconnect();
      process.exit(0);
    });
  });
}

start().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

/**
 * The join floor of the gateway's protocol: the bare relay (bare-ws-relay.ts) that also
 * speaks PROTOCOL section 1's join, with no admission behind it. Each connection gets a
 * `welcome` of the gateway's shape and size in the 101's write, as the gateway sends it,
 * and the room's other members a `peer-joined`. What a join costs the load here is what any
 * server speaking this protocol costs it; the bare relay's joins cost the load less, since
 * it sends nothing. Frames are forwarded as is. Run as its own process:
 *   node --import tsx bench/servers/bare-announce-relay.ts PORT
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? process.env['PORT'] ?? 0);
const rooms = new Map<string, Map<WebSocket, string>>();
const server = new WebSocketServer({ host: '127.0.0.1', port });

// corked here, released after `welcome`: the 101 and `welcome` leave in one write
server.on('headers', (_headers, request) => request.socket.cork());

server.on('connection', (socket, request) => {
  const room = new URL(request.url ?? '/', 'http://relay').searchParams.get('room') ?? '';
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Map()));
  const peerId = randomUUID();
  const peers = [...members.values()].map((id) => ({ peerId: id }));
  socket.send(JSON.stringify({ type: 'welcome', peerId, room, peers, iceServers: [], resumeToken: randomBytes(32).toString('base64url') }));
  request.socket.uncork();
  const joined = JSON.stringify({ type: 'peer-joined', peerId });
  for (const other of members.keys()) other.send(joined);
  members.set(socket, peerId);
  socket.on('message', (data, isBinary) => {
    for (const other of members.keys()) if (other !== socket) other.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    members.delete(socket);
    if (members.size === 0) rooms.delete(room);
  });
  socket.on('error', () => socket.terminate());
});

server.on('listening', () => process.stdout.write(`listening ${port}\n`));
process.on('SIGTERM', () => {
  for (const client of server.clients) client.terminate();
  server.close(() => process.exit(0));
});

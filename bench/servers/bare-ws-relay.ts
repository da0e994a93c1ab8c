/**
 * The floor: a bare `ws` relay. Each connection joins the room named by `?room=`, and
 * every frame it sends is forwarded as is to the other members of that room. No
 * parsing, no validation, no ids, no Redis. Run as its own process:
 *   node --import tsx bench/servers/bare-ws-relay.ts PORT
 */
import { WebSocket, WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? process.env['PORT'] ?? 0);
const rooms = new Map<string, Set<WebSocket>>();
const server = new WebSocketServer({ host: '127.0.0.1', port });

server.on('connection', (socket, request) => {
  const room = new URL(request.url ?? '/', 'http://relay').searchParams.get('room') ?? '';
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(socket);
  socket.on('message', (data, isBinary) => {
    for (const other of members) if (other !== socket) other.send(data, { binary: isBinary });
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

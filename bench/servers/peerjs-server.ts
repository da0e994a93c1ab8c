/**
 * The PeerJS server (npm `peer`) with its defaults (its client cap raised), as a baseline of a widely used
 * signaling relay. Clients connect to `/peerjs?key=peerjs&id=ID&token=TOKEN`, get `OPEN`,
 * and send `{type, dst, payload}`; the server relays it to `dst` with `src` set.
 * Run as its own process:
 *   node --import tsx bench/servers/peerjs-server.ts PORT
 */
import { PeerServer } from 'peer';

const port = Number(process.argv[2] ?? process.env['PORT'] ?? 9000);

// defaults but one: PeerJS refuses clients past 5,000, and the join measurement opens 10,000
PeerServer({ port, host: '127.0.0.1', path: '/', concurrent_limit: 50_000 }, () => process.stdout.write(`listening ${port}\n`));
process.on('SIGTERM', () => process.exit(0));

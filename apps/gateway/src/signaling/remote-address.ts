import type { IncomingMessage } from 'node:http';

/** `ip:port` of the TCP peer as the gateway saw it; IPv6 in brackets, IPv4-mapped addresses unwrapped. */
export function remoteAddress(request: IncomingMessage): string {
  const raw = request.socket.remoteAddress ?? 'unknown';
  const port = request.socket.remotePort ?? 0;
  const ip = raw.startsWith('::ffff:') && raw.includes('.') ? raw.slice('::ffff:'.length) : raw;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

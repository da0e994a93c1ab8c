import { isIP } from 'node:net';
import type { PeerRequest } from '../auth/peer-request';
import { TrustedProxies, unmapIpv4 } from '../auth/trusted-proxies';

interface Hop {
  readonly ip: string;
  /** The hop's source port when the proxy wrote one (`192.0.2.1:4711`), else null. */
  readonly port: number | null;
}

/** One `X-Forwarded-For` element: `ip`, `ip:port`, `[ipv6]` or `[ipv6]:port`; null for anything else (`unknown`, obfuscated ids). */
function parseHop(raw: string): Hop | null {
  const text = raw.trim().replace(/^"(.*)"$/, '$1');
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  const [ip, portText] = bracketed ? [bracketed[1], bracketed[2]] : v4WithPort ? [v4WithPort[1], v4WithPort[2]] : [text, undefined];
  const address = unmapIpv4(ip);
  if (isIP(address) === 0) return null;
  const port = portText === undefined ? null : Number(portText);
  return { ip: address, port: port !== null && port <= 65_535 ? port : null };
}

function forwardedHops(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  return (Array.isArray(header) ? header.join(',') : header).split(',');
}

function format(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * `ip:port` of the peer as the gateway saw it (PROTOCOL section 2,
 * `client_*_remote_addr`); IPv6 in brackets, IPv4-mapped addresses unwrapped.
 *
 * `X-Forwarded-For` counts only when the TCP peer is a trusted proxy: then the
 * client is the right-most hop that is not itself a trusted proxy (hops to its
 * left were written by whoever connected, and anyone can write them). A hop
 * that is not an address stops the walk at the last trusted one. The port is
 * the one the proxy wrote into the hop, else 0 (unknown): the socket's port is
 * the proxy's, and `X-Forwarded-Port` is the port the proxy listens on, so
 * neither is the client's.
 */
export function remoteAddress(request: PeerRequest, trusted: TrustedProxies = TrustedProxies.none): string {
  const socketIp = request.socket.remoteAddress;
  if (socketIp === undefined) return 'unknown:0';
  let client = { ip: unmapIpv4(socketIp), port: request.socket.remotePort ?? 0 };
  if (!trusted.includes(client.ip)) return format(client.ip, client.port);
  const hops = forwardedHops(request.headers['x-forwarded-for']);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i]);
    if (hop === null) break;
    client = { ip: hop.ip, port: hop.port ?? 0 };
    if (!trusted.includes(hop.ip)) break;
  }
  return format(client.ip, client.port);
}

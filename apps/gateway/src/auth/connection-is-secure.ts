import type { PeerRequest } from './peer-request';
import { TrustedProxies } from './trusted-proxies';

/**
 * Whether the peer reached us over TLS (REQUIRE_WSS): the socket itself is TLS,
 * or a trusted proxy says so in `X-Forwarded-Proto`. With several values
 * (chained proxies) the right-most counts: it is the one our trusted proxy
 * wrote; values to its left may come from the client.
 */
export function connectionIsSecure(request: PeerRequest, trusted: TrustedProxies): boolean {
  if (request.socket.encrypted === true) return true;
  const socketIp = request.socket.remoteAddress;
  if (socketIp === undefined || !trusted.includes(socketIp)) return false;
  const header = request.headers['x-forwarded-proto'];
  if (header === undefined) return false;
  const values = (Array.isArray(header) ? header.join(',') : header).split(',');
  const nearest = values[values.length - 1].trim().toLowerCase();
  return nearest === 'https' || nearest === 'wss';
}

import type { IncomingHttpHeaders } from 'node:http';
import { connectionIsSecure } from './connection-is-secure';
import type { PeerRequest } from './peer-request';
import { TrustedProxies } from './trusted-proxies';

const PROXY = TrustedProxies.from(['10.0.0.0/8']);

function request(remoteAddress: string, headers: IncomingHttpHeaders = {}, encrypted = false): PeerRequest {
  return { headers, socket: { remoteAddress, remotePort: 1, encrypted } };
}

describe(connectionIsSecure.name, () => {
  it('is secure over TLS', () => {
    expect(connectionIsSecure(request('203.0.113.7', {}, true), TrustedProxies.none)).toBe(true);
  });

  it('is not secure over plain TCP', () => {
    expect(connectionIsSecure(request('203.0.113.7'), TrustedProxies.none)).toBe(false);
  });

  it('ignores X-Forwarded-Proto from a peer that is not a trusted proxy', () => {
    expect(connectionIsSecure(request('203.0.113.7', { 'x-forwarded-proto': 'https' }), PROXY)).toBe(false);
  });

  it.each(['https', 'HTTPS', 'wss'])('believes X-Forwarded-Proto: %s from a trusted proxy', (proto) => {
    expect(connectionIsSecure(request('10.0.0.1', { 'x-forwarded-proto': proto }), PROXY)).toBe(true);
  });

  it('is not secure when the trusted proxy says http', () => {
    expect(connectionIsSecure(request('10.0.0.1', { 'x-forwarded-proto': 'http' }), PROXY)).toBe(false);
  });

  it('is not secure when the trusted proxy sends no X-Forwarded-Proto', () => {
    expect(connectionIsSecure(request('10.0.0.1'), PROXY)).toBe(false);
  });

  it('takes the right-most value, the one the trusted proxy appended', () => {
    expect(connectionIsSecure(request('10.0.0.1', { 'x-forwarded-proto': 'https, http' }), PROXY)).toBe(false);
  });
});

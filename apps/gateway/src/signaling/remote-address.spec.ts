import type { IncomingHttpHeaders } from 'node:http';
import type { PeerRequest } from '../auth/peer-request';
import { TrustedProxies } from '../auth/trusted-proxies';
import { remoteAddress } from './remote-address';

function request(remoteAddr: string | undefined, remotePort: number | undefined, headers: IncomingHttpHeaders = {}): PeerRequest {
  return { headers, socket: { remoteAddress: remoteAddr, remotePort } };
}

const PROXIES = TrustedProxies.from(['10.0.0.0/8', '2001:db8:ffff::/48', '192.0.2.10']);

describe(remoteAddress.name, () => {
  describe('without trusted proxies', () => {
    it('is the socket address and port', () => {
      expect(remoteAddress(request('203.0.113.7', 50_123))).toBe('203.0.113.7:50123');
    });

    it('brackets IPv6', () => {
      expect(remoteAddress(request('2001:db8::1', 443))).toBe('[2001:db8::1]:443');
    });

    it('unwraps an IPv4-mapped IPv6 address', () => {
      expect(remoteAddress(request('::ffff:203.0.113.7', 9))).toBe('203.0.113.7:9');
    });

    it('writes unknown:0 for a socket without an address', () => {
      expect(remoteAddress(request(undefined, undefined))).toBe('unknown:0');
    });

    it('ignores X-Forwarded-For', () => {
      expect(remoteAddress(request('203.0.113.7', 5, { 'x-forwarded-for': '198.51.100.1' }))).toBe('203.0.113.7:5');
    });
  });

  describe('with trusted proxies', () => {
    it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
      expect(remoteAddress(request('203.0.113.7', 5, { 'x-forwarded-for': '198.51.100.1' }), PROXIES)).toBe('203.0.113.7:5');
    });

    it('takes the client from a trusted proxy, with port 0 when the hop has none', () => {
      expect(remoteAddress(request('10.1.2.3', 40_000, { 'x-forwarded-for': '198.51.100.1' }), PROXIES)).toBe('198.51.100.1:0');
    });

    it('takes the right-most untrusted hop, not what the client wrote to its left', () => {
      const headers = { 'x-forwarded-for': '1.1.1.1, 198.51.100.1, 10.9.9.9' };

      expect(remoteAddress(request('10.1.2.3', 1, headers), PROXIES)).toBe('198.51.100.1:0');
    });

    it('reads a hop port written by the proxy', () => {
      expect(remoteAddress(request('10.1.2.3', 1, { 'x-forwarded-for': '198.51.100.1:61000' }), PROXIES)).toBe('198.51.100.1:61000');
    });

    it('reads a bracketed IPv6 hop with its port', () => {
      expect(remoteAddress(request('10.1.2.3', 1, { 'x-forwarded-for': '[2001:db8::5]:4711' }), PROXIES)).toBe('[2001:db8::5]:4711');
    });

    it('reads a bare IPv6 hop', () => {
      expect(remoteAddress(request('10.1.2.3', 1, { 'x-forwarded-for': '2001:db8::5' }), PROXIES)).toBe('[2001:db8::5]:0');
    });

    it('trusts an IPv6 proxy range', () => {
      expect(remoteAddress(request('2001:db8:ffff::9', 1, { 'x-forwarded-for': '198.51.100.1' }), PROXIES)).toBe('198.51.100.1:0');
    });

    it('trusts a proxy on an IPv4-mapped socket address', () => {
      expect(remoteAddress(request('::ffff:10.0.0.1', 1, { 'x-forwarded-for': '198.51.100.1' }), PROXIES)).toBe('198.51.100.1:0');
    });

    it('joins repeated X-Forwarded-For headers in order', () => {
      const headers = { 'x-forwarded-for': ['198.51.100.1', '10.2.2.2'] };

      expect(remoteAddress(request('10.1.2.3', 1, headers), PROXIES)).toBe('198.51.100.1:0');
    });

    it('stops at a hop that is not an address, keeping the last trusted one', () => {
      const headers = { 'x-forwarded-for': '198.51.100.1, unknown, 10.2.2.2' };

      expect(remoteAddress(request('10.1.2.3', 1, headers), PROXIES)).toBe('10.2.2.2:0');
    });

    it('is the left-most hop when every hop is a trusted proxy', () => {
      expect(remoteAddress(request('10.1.2.3', 1, { 'x-forwarded-for': '10.5.5.5, 192.0.2.10' }), PROXIES)).toBe('10.5.5.5:0');
    });

    it('is the proxy itself when it sends no X-Forwarded-For (e.g. its own health check)', () => {
      expect(remoteAddress(request('10.1.2.3', 1234), PROXIES)).toBe('10.1.2.3:1234');
    });

    it('does not take X-Forwarded-Port as the client port', () => {
      const headers = { 'x-forwarded-for': '198.51.100.1', 'x-forwarded-port': '443' };

      expect(remoteAddress(request('10.1.2.3', 1, headers), PROXIES)).toBe('198.51.100.1:0');
    });
  });
});

import { rateLimitSubject } from './rate-limit-subject';

describe('rateLimitSubject', () => {
  it('counts an IPv4 address without its port', () => {
    expect(rateLimitSubject('203.0.113.7:51234')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64', () => {
    expect(rateLimitSubject('[2001:db8:0:12:a:b:c:d]:443')).toBe('2001:db8:0:12::/64');
  });

  it('gives two addresses of one /64 the same subject', () => {
    expect(rateLimitSubject('[2001:db8::1]:1')).toBe(rateLimitSubject('[2001:0db8:0000:0000:ffff::2]:2'));
  });

  it('expands a compressed prefix', () => {
    expect(rateLimitSubject('[2001:db8:1::]:1')).toBe('2001:db8:1:0::/64');
    expect(rateLimitSubject('[::1]:9')).toBe('0:0:0:0::/64');
  });

  it('handles an embedded IPv4 tail and a zone', () => {
    expect(rateLimitSubject('[::ffff:10.0.0.1]:80')).toBe('0:0:0:0::/64');
    expect(rateLimitSubject('[fe80::1%eth0]:80')).toBe('fe80:0:0:0::/64');
  });

  it('gives different /64s different subjects', () => {
    expect(rateLimitSubject('[2001:db8:0:1::1]:1')).not.toBe(rateLimitSubject('[2001:db8:0:2::1]:1'));
  });

  it('accepts an address without a port', () => {
    expect(rateLimitSubject('198.51.100.1')).toBe('198.51.100.1');
    expect(rateLimitSubject('2001:db8::5')).toBe('2001:db8:0:0::/64');
  });
});

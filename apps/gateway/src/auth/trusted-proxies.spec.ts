import { TrustedProxies } from './trusted-proxies';

describe(TrustedProxies.name, () => {
  it.each(['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '2001:db8::1', 'fd00::/8', '::/0', '::ffff:10.0.0.1'])('accepts the entry %s', (entry) => {
    expect(TrustedProxies.isValidEntry(entry)).toBe(true);
  });

  it.each(['', 'localhost', '10.0.0', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/8/8', 'fd00::/129', '10.0.0.0/x', '999.0.0.1'])(
    'refuses the entry %j',
    (entry) => {
      expect(TrustedProxies.isValidEntry(entry)).toBe(false);
    },
  );

  it('matches an address inside a listed IPv4 range', () => {
    expect(TrustedProxies.from(['172.28.0.0/16']).includes('172.28.5.9')).toBe(true);
  });

  it('does not match an address outside the range', () => {
    expect(TrustedProxies.from(['172.28.0.0/16']).includes('172.29.0.1')).toBe(false);
  });

  it('matches a single listed address only', () => {
    const proxies = TrustedProxies.from(['192.0.2.10']);

    expect([proxies.includes('192.0.2.10'), proxies.includes('192.0.2.11')]).toEqual([true, false]);
  });

  it('matches IPv6 ranges', () => {
    const proxies = TrustedProxies.from(['fd00::/8']);

    expect([proxies.includes('fd12:3456::1'), proxies.includes('fe80::1')]).toEqual([true, false]);
  });

  it('matches an IPv4-mapped IPv6 address against an IPv4 range', () => {
    expect(TrustedProxies.from(['127.0.0.1']).includes('::ffff:127.0.0.1')).toBe(true);
  });

  it('matches nothing when empty', () => {
    expect(TrustedProxies.none.includes('127.0.0.1')).toBe(false);
  });

  it('does not match garbage', () => {
    expect(TrustedProxies.from(['0.0.0.0/0']).includes('not-an-ip')).toBe(false);
  });

  it('refuses to build from an invalid entry', () => {
    expect(() => TrustedProxies.from(['10.0.0.0/40'])).toThrow('not an IP address or CIDR range');
  });
});

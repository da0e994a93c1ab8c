import { BlockList, isIP } from 'node:net';

/** `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack socket) is `192.0.2.1`. */
export function unmapIpv4(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && ip.includes('.') ? ip.slice('::ffff:'.length) : ip;
}

function familyOf(ip: string): 'ipv4' | 'ipv6' | null {
  const version = isIP(ip);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : null;
}

/** One TRUSTED_PROXIES entry as a subnet, or null when it is neither an IP nor a CIDR range. */
function parseEntry(entry: string): { network: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, prefixText, extra] = entry.trim().split('/');
  if (extra !== undefined) return null;
  const network = unmapIpv4(address);
  const family = familyOf(network);
  if (family === null) return null;
  const bits = family === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { network, prefix: bits, family };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= bits ? { network, prefix, family } : null;
}

/**
 * The proxies whose `X-Forwarded-*` headers the gateway believes (TRUSTED_PROXIES):
 * IPv4 and IPv6 addresses and CIDR ranges. Anyone else could write those headers.
 */
export class TrustedProxies {
  private constructor(
    private readonly list: BlockList,
    readonly size: number,
  ) {}

  static readonly none = new TrustedProxies(new BlockList(), 0);

  /** True for an address (`10.0.0.1`, `2001:db8::1`) or range (`10.0.0.0/8`, `fd00::/8`). */
  static isValidEntry(entry: string): boolean {
    return parseEntry(entry) !== null;
  }

  /** Builds the set; throws on an entry that `isValidEntry` refuses (the env class checked them first). */
  static from(entries: readonly string[]): TrustedProxies {
    const list = new BlockList();
    for (const entry of entries) {
      const subnet = parseEntry(entry);
      if (!subnet) throw new Error(`not an IP address or CIDR range: ${entry}`);
      list.addSubnet(subnet.network, subnet.prefix, subnet.family);
    }
    return new TrustedProxies(list, entries.length);
  }

  /** Whether `ip` (a bare address, IPv4-mapped IPv6 allowed) is one of the trusted proxies. */
  includes(ip: string): boolean {
    if (this.size === 0) return false;
    const address = unmapIpv4(ip);
    const family = familyOf(address);
    return family !== null && this.list.check(address, family);
  }
}

/**
 * The address a per-IP limit counts, from the gateway's `ip:port` form
 * (`[v6]:port` for IPv6). An IPv6 client is counted by its /64: one host
 * usually owns a whole /64 and could otherwise rotate through it.
 */
export function rateLimitSubject(remoteAddr: string): string {
  if (remoteAddr.startsWith('[')) {
    const end = remoteAddr.indexOf(']');
    return ipv6Prefix64(remoteAddr.slice(1, end === -1 ? undefined : end));
  }
  const colon = remoteAddr.lastIndexOf(':');
  if (colon === -1) return remoteAddr;
  // more than one colon without brackets: a bare IPv6 address
  if (remoteAddr.indexOf(':') !== colon) return ipv6Prefix64(remoteAddr);
  return remoteAddr.slice(0, colon);
}

function ipv6Prefix64(address: string): string {
  const zoneless = address.split('%')[0].toLowerCase();
  const [head, tail] = zoneless.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  let groups = headGroups;
  if (tail !== undefined) {
    const tailGroups = tail === '' ? [] : tail.split(':');
    // an embedded IPv4 tail (::ffff:1.2.3.4) fills two groups
    const width = tailGroups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
    const zeros = Math.max(0, 8 - headGroups.length - width);
    groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  }
  const prefix = groups.slice(0, 4).map((group) => (group.includes('.') ? group : (parseInt(group, 16) || 0).toString(16)));
  while (prefix.length < 4) prefix.push('0');
  return `${prefix.join(':')}::/64`;
}

import { parseSessionFilter } from '../filter/parse-session-filter';
import { printMeiliFilter } from '../filter/print-meili-filter';
import { sessionListFilter } from './session-list-filter';

function printed(params: Parameters<typeof sessionListFilter>[0]): string | null {
  const ast = sessionListFilter(params);
  return ast && printMeiliFilter(ast);
}

describe(sessionListFilter.name, () => {
  it('is no filter when nothing narrows the search', () => {
    expect(sessionListFilter({})).toBeNull();
  });

  it('matches a user or a peer on either side', () => {
    expect(printed({ user: 'alice' })).toBe('client_a_user = "alice" OR client_b_user = "alice"');
    expect(printed({ peer: 'p1' })).toBe('client_a_id = "p1" OR client_b_id = "p1"');
  });

  it('ANDs every parameter given, time bounds included', () => {
    expect(printed({ room: 'r1', state: 'failed', reason: 'no-answer', from: 100, to: 200.5 })).toBe(
      'room_id = "r1" AND connection_state = "failed" AND failure_reason = "no-answer" AND created_at >= "100" AND created_at <= "200.5"',
    );
  });

  it('matches a bare IPv4 address on any port, and an exact ip:port by equality', () => {
    expect(printed({ ip: '198.51.100.1' })).toBe(
      'client_a_remote_addr "198.51.100.1:" TO "198.51.100.1;" OR client_b_remote_addr "198.51.100.1:" TO "198.51.100.1;"',
    );
    expect(printed({ ip: '198.51.100.1:5000' })).toBe('client_a_remote_addr = "198.51.100.1:5000" OR client_b_remote_addr = "198.51.100.1:5000"');
  });

  it('brackets a bare IPv6 address as the gateway stores it', () => {
    expect(printed({ ip: '2001:db8::1' })).toContain('"[2001:db8::1]:" TO "[2001:db8::1];"');
    expect(printed({ ip: '[2001:db8::1]:443' })).toContain('client_a_remote_addr = "[2001:db8::1]:443"');
  });

  it('builds the tree the parser would read from the printed filter', () => {
    const ast = sessionListFilter({ room: 'r', user: 'u', ip: '10.0.0.1', from: 1 });
    const reparsed = parseSessionFilter(printMeiliFilter(ast!));
    expect(reparsed).toEqual({ ok: true, ast });
  });
});

import { candidateMarkers, classifyCandidate } from './classify-candidate';

describe(classifyCandidate.name, () => {
  it.each([
    ['candidate:842163049 1 udp 1677729535 203.0.113.4 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0', { kind: 'srflx', transport: 'udp', mdns: false }],
    ['a=candidate:1 1 UDP 2122260223 192.168.1.2 50000 typ host', { kind: 'host', transport: 'udp', mdns: false }],
    ['candidate:3 1 tcp 1518280447 10.0.0.5 9 typ host tcptype active', { kind: 'host', transport: 'tcp', mdns: false }],
    ['candidate:4 1 udp 1845501695 198.51.100.7 61000 typ prflx raddr 10.0.0.5 rport 5000', { kind: 'prflx', transport: 'udp', mdns: false }],
    ['candidate:5 1 udp 25108223 192.0.2.9 3478 typ relay raddr 203.0.113.4 rport 46154', { kind: 'relay', transport: 'udp', mdns: false }],
    ['candidate:6 1 udp 2113937151 0b6a1c9e-4f1d-4a7e-9a6e-0c4a3c0f1e22.local 54321 typ host', { kind: 'host', transport: 'udp', mdns: true }],
  ])('%s', (line, expected) => {
    expect(classifyCandidate(line)).toEqual(expected);
  });

  it('has no class for end-of-candidates or garbage', () => {
    expect(classifyCandidate('')).toEqual({ kind: null, transport: null, mdns: false });
    expect(classifyCandidate('not a candidate at all')).toEqual({ kind: null, transport: null, mdns: false });
    expect(classifyCandidate('candidate:1 1 udp 1 1.2.3.4 5 typ weird')).toEqual({ kind: null, transport: 'udp', mdns: false });
  });

  it('markers add mdns and tcp to the kind', () => {
    expect(candidateMarkers('candidate:3 1 tcp 1518280447 abc.local 9 typ host tcptype active')).toEqual(['host', 'mdns', 'tcp']);
    expect(candidateMarkers('')).toEqual([]);
  });
});

import type { SessionEventKind } from './session-event';

// Test data shared by the session-event specs; not exported from the lib.

/** One valid event of each kind, every optional field present, as read back from the stream. */
export const VALID_SESSION_EVENTS: Record<SessionEventKind, Record<string, unknown>> = {
  'peer-joined': {
    kind: 'peer-joined',
    t: 1_700_000_000_000,
    room: 'room-1',
    node: 'gw-1.example:8080@eu',
    peer: '6f1c1c1e-1b7e-4c39-9a53-2b1f0c6a8e10',
    user: 'alice',
    remoteAddr: '[2001:db8::1]:50000',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    name: 'Alice',
  },
  'peer-left': {
    kind: 'peer-left',
    t: 1_700_000_000_001,
    room: 'room-1',
    node: 'gw-1',
    peer: '6f1c1c1e-1b7e-4c39-9a53-2b1f0c6a8e10',
    reason: 'node-lost',
  },
  signal: {
    kind: 'signal',
    t: 1_700_000_000_002,
    room: 'room-1',
    node: 'gw-1',
    signal: 'candidate',
    from: 'peer-a',
    to: 'peer-b',
    candidate: 'candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host',
  },
  state: {
    kind: 'state',
    t: 1_700_000_000_003,
    room: 'room-1',
    node: 'gw-1',
    peer: 'peer-a',
    to: 'peer-b',
    connectionState: 'connected',
    iceConnectionState: 'completed',
    signalingState: 'stable',
    iceGatheringState: 'complete',
    reason: 'ICE restart',
  },
  stats: {
    kind: 'stats',
    t: 1_700_000_000_004,
    room: 'room-1',
    node: 'gw-1',
    peer: 'peer-a',
    to: 'peer-b',
    report: {
      rttMs: 12,
      packetLossPct: 0.5,
      jitterMs: 3,
      bitrateKbps: 900,
      localCandidateType: 'host',
      remoteCandidateType: 'srflx',
      protocol: 'udp',
      relayProtocol: 'tls',
    },
  },
};

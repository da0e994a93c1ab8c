import { peerLeftReasonFor, SocketEnding } from './peer-left-reason';

function ending(overrides: Partial<SocketEnding>): SocketEnding {
  return { byeReceived: false, closeFrameReceived: false, endedByServer: null, ...overrides };
}

describe(peerLeftReasonFor.name, () => {
  it('is bye when the peer said bye', () => {
    expect(peerLeftReasonFor(ending({ byeReceived: true, closeFrameReceived: true }))).toBe('bye');
  });

  it('is bye even when the socket was then lost', () => {
    expect(peerLeftReasonFor(ending({ byeReceived: true, closeFrameReceived: false }))).toBe('bye');
  });

  it('is disconnected for a close frame without bye', () => {
    expect(peerLeftReasonFor(ending({ closeFrameReceived: true }))).toBe('disconnected');
  });

  it('waits for the resume window when the socket was lost without a close frame', () => {
    expect(peerLeftReasonFor(ending({ closeFrameReceived: false }))).toBeNull();
  });

  it('waits for the resume window when the peer stopped answering pings', () => {
    expect(peerLeftReasonFor(ending({ endedByServer: 'heartbeat-timeout', closeFrameReceived: true }))).toBeNull();
  });

  it('waits for the resume window when the server closed it with 1001 to drain', () => {
    expect(peerLeftReasonFor(ending({ endedByServer: 'drain', closeFrameReceived: true }))).toBeNull();
  });

  it('is disconnected when the server closed it for a too-large message', () => {
    expect(peerLeftReasonFor(ending({ endedByServer: 'too-large' }))).toBe('disconnected');
  });
});

import { reportsConnected } from './reports-connected';

describe(reportsConnected.name, () => {
  it('follows connectionState when the report has it', () => {
    expect(reportsConnected({ connectionState: 'connected' })).toBe(true);
    // werift: ICE completed while the connection (DTLS) is still new
    expect(reportsConnected({ connectionState: 'new', iceConnectionState: 'completed' })).toBe(false);
    expect(reportsConnected({ connectionState: 'connecting', iceConnectionState: 'connected' })).toBe(false);
  });

  it('falls back to the ICE state without it', () => {
    expect(reportsConnected({ iceConnectionState: 'connected' })).toBe(true);
    expect(reportsConnected({ iceConnectionState: 'completed' })).toBe(true);
    expect(reportsConnected({ iceConnectionState: 'checking' })).toBe(false);
    expect(reportsConnected({})).toBe(false);
  });
});

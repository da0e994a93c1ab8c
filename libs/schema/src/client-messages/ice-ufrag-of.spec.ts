import { iceUfragOf } from './ice-ufrag-of';

describe(iceUfragOf.name, () => {
  it('reads the session-level fragment', () => {
    expect(iceUfragOf('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n')).toBe('abcd');
  });

  it('reads the first media-level fragment, with LF line ends too', () => {
    expect(iceUfragOf('v=0\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\na=ice-ufrag:Xy+/\na=ice-pwd:p\nm=audio 9 x 0\na=ice-ufrag:other\n')).toBe('Xy+/');
  });

  it('is undefined for an SDP without one, or with an empty one', () => {
    expect(iceUfragOf('v=0\r\nm=audio 9 x 0\r\n')).toBeUndefined();
    expect(iceUfragOf('v=0\r\na=ice-ufrag:\r\n')).toBeUndefined();
  });

  it('does not take a fragment that only appears inside another attribute', () => {
    expect(iceUfragOf('v=0\r\na=x-note:a=ice-ufrag:fake\r\n')).toBeUndefined();
  });

  it('cuts an over-long fragment to 256 characters', () => {
    expect(iceUfragOf(`a=ice-ufrag:${'u'.repeat(1_000)}\r\n`)).toHaveLength(256);
  });
});

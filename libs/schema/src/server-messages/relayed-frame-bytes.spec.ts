import type { SignalMessage } from '../client-messages/client-message';
import { parseClientMessage } from '../client-messages/parse-client-message';
import type { PeerId } from '../ids';
import { relayedFrame } from './relayed-frame';
import { relayedFrameBytes } from './relayed-frame-bytes';

const SENDER = 'peer-a' as PeerId;

function parsed(text: string): SignalMessage {
  const result = parseClientMessage(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.message as SignalMessage;
}

/** The spliced frame as text, or null when the frame is left to relayedFrame. */
function splice(text: string, from: PeerId = SENDER): string | null {
  return relayedFrameBytes(Buffer.from(text), parsed(text), from)?.toString() ?? null;
}

describe(relayedFrameBytes.name, () => {
  it('cuts to and appends from, keeping the rest byte for byte', () => {
    expect(splice('{"type":"offer","to":"peer-b","sdp":"v=0\\r\\na=x\\r\\n"}')).toBe('{"type":"offer","sdp":"v=0\\r\\na=x\\r\\n","from":"peer-a"}');
  });

  it('gives what JSON.stringify(relayedFrame) gives for a compact offer', () => {
    const text = JSON.stringify({ type: 'offer', to: 'peer-b', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 D2:FA\r\n' });

    expect(splice(text)).toBe(JSON.stringify(relayedFrame(parsed(text), SENDER)));
  });

  it('cuts the client id and a leading to', () => {
    expect(splice('{"to":"peer-b","id":"m-1","type":"answer","sdp":"v=0"}')).toBe('{"type":"answer","sdp":"v=0","from":"peer-a"}');
  });

  it('drops whitespace between members and keeps null candidate fields', () => {
    expect(splice(' { "type" : "candidate" ,\n\t"candidate":"", "sdpMid":null,"sdpMLineIndex" : null } ')).toBe(
      '{"type" : "candidate","candidate":"","sdpMid":null,"sdpMLineIndex" : null,"from":"peer-a"}',
    );
  });

  it('keeps escaped quotes and backslashes inside values', () => {
    const text = JSON.stringify({ type: 'offer', sdp: 'a="b" \\"c\\" \\\\', to: 'peer-b' });

    expect(JSON.parse(splice(text)!)).toEqual({ type: 'offer', sdp: 'a="b" \\"c\\" \\\\', from: SENDER });
  });

  it.each([
    ['an unknown member', '{"type":"offer","sdp":"v=0","admin":true}'],
    ['a forged from', '{"type":"offer","sdp":"v=0","from":"peer-forged"}'],
    ['a repeated key', '{"type":"offer","sdp":"v=0","sdp":"v=1"}'],
    ['an escaped key', '{"type":"offer","\\u0073dp":"v=0"}'],
    ['an escaped to', '{"type":"offer","sdp":"v=0","t\\u006f":"peer-b"}'],
    ['an exponent', '{"type":"candidate","candidate":"","sdpMLineIndex":1e0}'],
    ['a fraction', '{"type":"candidate","candidate":"","sdpMLineIndex":1.0}'],
    ['a negative zero', '{"type":"candidate","candidate":"","sdpMLineIndex":-0}'],
  ])('leaves a frame with %s to relayedFrame', (_, text) => {
    expect(splice(text)).toBeNull();
  });

  it('leaves a sender id that would need escaping to relayedFrame', () => {
    expect(splice('{"type":"offer","sdp":"v=0"}', 'peer-"a' as PeerId)).toBeNull();
    expect(splice('{"type":"offer","sdp":"v=0"}', 'peer-é' as PeerId)).toBeNull();
  });

  // whenever it splices, the receiver must parse exactly what relayedFrame would have sent
  it('agrees with relayedFrame on 5000 random signals', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
    const strings = ['', 'v=0\r\n', 'a "quoted" \\ line', 'é ✓ 😀', '\u2028', 'x'.repeat(300), '\\"', 'candidate:1 1 udp 1 ::1 9 typ host'];
    const spaces = ['', ' ', '\n', '\t ', '\r\n'];
    const members: Record<SignalMessage['type'], Array<() => [string, string]>> = {
      offer: [() => ['sdp', JSON.stringify(pick(strings))]],
      answer: [() => ['sdp', JSON.stringify(pick(strings))]],
      candidate: [
        () => ['candidate', JSON.stringify(pick(strings))],
        () => ['sdpMid', pick(['null', '"0"', '"audio"'])],
        () => ['sdpMLineIndex', pick(['null', '0', '7', '1023', '1e0', '3.0'])],
        () => ['usernameFragment', pick(['null', '"uf"'])],
      ],
    };
    const extras: Array<() => [string, string]> = [
      () => ['to', '"peer-b"'],
      () => ['id', JSON.stringify(pick(strings))],
      () => ['from', '"peer-forged"'],
      () => ['room', '"other"'],
      () => ['\\u0074o', '"peer-b"'],
    ];
    let spliced = 0;
    for (let i = 0; i < 5_000; i++) {
      const type = pick(['offer', 'answer', 'candidate'] as const);
      const chosen: Array<[string, string]> = [['type', JSON.stringify(type)], ...members[type].filter(() => random() < 0.8).map((m) => m())];
      if (type !== 'candidate' && !chosen.some(([key]) => key === 'sdp')) chosen.push(members[type][0]());
      if (type === 'candidate' && !chosen.some(([key]) => key === 'candidate')) chosen.push(members.candidate[0]());
      for (const extra of extras) if (random() < 0.15) chosen.push(extra());
      if (random() < 0.05) chosen.push(chosen[chosen.length - 1]);
      chosen.sort(() => random() - 0.5);
      const text = `${pick(spaces)}{${chosen.map(([key, value]) => `${pick(spaces)}"${key}"${pick(spaces)}:${pick(spaces)}${value}${pick(spaces)}`).join(',')}}${pick(spaces)}`;
      const result = parseClientMessage(text);
      if (!result.ok) continue;
      const message = result.message as SignalMessage;
      const bytes = relayedFrameBytes(Buffer.from(text), message, SENDER);
      if (bytes === null) continue;
      spliced++;
      expect({ text, relayed: JSON.parse(bytes.toString()) }).toStrictEqual({ text, relayed: JSON.parse(JSON.stringify(relayedFrame(message, SENDER))) });
    }
    // the generator must reach the splice often for the comparison to mean anything
    expect(spliced).toBeGreaterThan(1_000);
  });
});

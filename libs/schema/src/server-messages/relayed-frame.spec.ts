import type { CandidateMessage } from '../client-messages/candidate.message';
import type { SignalMessage } from '../client-messages/client-message';
import { parseClientMessage } from '../client-messages/parse-client-message';
import type { PeerId } from '../ids';
import { relayedFrame } from './relayed-frame';

const SENDER = 'peer-a' as PeerId;

function signal(frame: Record<string, unknown>): SignalMessage {
  const result = parseClientMessage(JSON.stringify(frame));
  if (!result.ok) throw new Error(result.error.message);
  return result.message as SignalMessage;
}

describe(relayedFrame.name, () => {
  it.each(['offer', 'answer'] as const)('relays an %s as type, sdp and from', (type) => {
    expect(relayedFrame(signal({ type, sdp: 'v=0\r\n' }), SENDER)).toStrictEqual({ type, sdp: 'v=0\r\n', from: SENDER });
  });

  it.each(['offer', 'answer'] as const)('puts from in place of to on an addressed %s', (type) => {
    expect(relayedFrame(signal({ type, sdp: 'v=0', to: 'peer-b' }), SENDER)).toStrictEqual({ type, sdp: 'v=0', from: SENDER });
  });

  it('never copies the client id', () => {
    expect(relayedFrame(signal({ type: 'offer', sdp: 'v=0', id: 'm-1' }), SENDER)).not.toHaveProperty('id');
  });

  it('never copies unknown client fields of an offer', () => {
    const message = signal({ type: 'offer', sdp: 'v=0', to: 'peer-b', from: 'peer-forged', admin: true, room: 'other' });

    expect(relayedFrame(message, SENDER)).toStrictEqual({ type: 'offer', sdp: 'v=0', from: SENDER });
  });

  it('never copies unknown client fields of a candidate', () => {
    const message = signal({ type: 'candidate', candidate: 'candidate:1', from: 'peer-forged', foo: 'bar', port: 9 });

    expect(relayedFrame(message, SENDER)).toStrictEqual({ type: 'candidate', candidate: 'candidate:1', from: SENDER });
  });

  it('keeps sdpMid, sdpMLineIndex and usernameFragment of a candidate', () => {
    const message = signal({ type: 'candidate', candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'uf', to: 'peer-b' });

    expect(relayedFrame(message, SENDER)).toStrictEqual({
      type: 'candidate',
      candidate: 'candidate:1',
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: 'uf',
      from: SENDER,
    });
  });

  it('keeps null sdpMid, sdpMLineIndex and usernameFragment as null', () => {
    const message = signal({ type: 'candidate', candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: null });

    expect(relayedFrame(message, SENDER)).toStrictEqual({
      type: 'candidate',
      candidate: '',
      sdpMid: null,
      sdpMLineIndex: null,
      usernameFragment: null,
      from: SENDER,
    });
  });

  it('leaves absent candidate fields absent', () => {
    const frame = relayedFrame(signal({ type: 'candidate', candidate: 'candidate:1' }), SENDER);

    expect(Object.keys(frame).sort()).toEqual(['candidate', 'from', 'type']);
  });

  it('keeps the end-of-candidates marker', () => {
    const message: CandidateMessage = signal({ type: 'candidate', candidate: '' }) as CandidateMessage;

    expect(relayedFrame(message, SENDER)).toMatchObject({ candidate: '' });
  });

  it('serializes to JSON with from and without to', () => {
    const json = JSON.stringify(relayedFrame(signal({ type: 'answer', sdp: 'v=0', to: 'peer-b' }), SENDER));

    expect(JSON.parse(json)).toEqual({ type: 'answer', sdp: 'v=0', from: 'peer-a' });
  });
});

import { LIMITS } from '../limits';
import { CLIENT_MESSAGE_TYPES } from './client-message';
import { parseClientMessage, ParseClientMessageResult } from './parse-client-message';
import { CONNECTION_STATES, ICE_CONNECTION_STATES, ICE_GATHERING_STATES, SIGNALING_STATES } from './state.message';

function parse(frame: unknown): ParseClientMessageResult {
  return parseClientMessage(JSON.stringify(frame));
}

function rejection(result: ParseClientMessageResult): { code: string; message: string; ref?: string } {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.message)}`);
  return result.error;
}

function accepted(result: ParseClientMessageResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.error.message}`);
  return { ...result.message };
}

describe(parseClientMessage.name, () => {
  describe('frame shape', () => {
    it('rejects a frame that is not JSON', () => {
      expect(rejection(parseClientMessage('{"type":"offer"'))).toEqual({
        code: 'schema-error',
        message: 'frame is not valid JSON',
      });
    });

    it.each([
      ['a string', '"offer"'],
      ['a number', '42'],
      ['null', 'null'],
      ['a boolean', 'true'],
    ])('rejects a JSON value that is %s', (_label, raw) => {
      expect(rejection(parseClientMessage(raw)).message).toBe('frame must be a JSON object');
    });

    it('rejects a JSON array even when it holds a valid message', () => {
      expect(rejection(parse([{ type: 'bye' }])).message).toBe('frame must be a JSON object');
    });

    it('rejects a frame without a type', () => {
      expect(rejection(parse({ sdp: 'v=0' })).message).toBe('field "type" must be a string');
    });

    it.each([
      ['a number', 1],
      ['null', null],
      ['an object', { name: 'offer' }],
    ])('rejects a type that is %s', (_label, type) => {
      expect(rejection(parse({ type })).message).toBe('field "type" must be a string');
    });

    it('rejects an unknown type and names it', () => {
      expect(rejection(parse({ type: 'hello' })).message).toBe('unknown message type "hello"');
    });

    it('truncates a long unknown type in the error message', () => {
      const message = rejection(parse({ type: 'x'.repeat(500) })).message;

      expect(message).toBe(`unknown message type "${'x'.repeat(32)}"`);
    });

    it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
      'treats the inherited property name "%s" as an unknown type',
      (type) => {
        expect(rejection(parse({ type })).message).toBe(`unknown message type "${type}"`);
      },
    );

    it('returns a rejection, not an exception, for a frame with an own "__proto__" key', () => {
      const raw = '{"type":"offer","sdp":"v=0","__proto__":null}';

      let result: ParseClientMessageResult | undefined;
      expect(() => (result = parseClientMessage(raw))).not.toThrow();
      expect(result?.ok).toBe(false);
    });

    it('knows exactly the client message types of the protocol', () => {
      expect([...CLIENT_MESSAGE_TYPES].sort()).toEqual(['answer', 'bye', 'candidate', 'offer', 'ping', 'state', 'stats']);
    });
  });

  describe('id and ref', () => {
    it('echoes a string id as ref on a rejection', () => {
      expect(rejection(parse({ type: 'offer', id: 'm-1' }))).toEqual({
        code: 'schema-error',
        message: expect.any(String),
        ref: 'm-1',
      });
    });

    it('echoes the id of a frame whose type is unknown', () => {
      expect(rejection(parse({ type: 'hello', id: 'm-2' })).ref).toBe('m-2');
    });

    it('echoes the id of a frame whose type is missing', () => {
      expect(rejection(parse({ id: 'm-3' })).ref).toBe('m-3');
    });

    it('gives no ref when the id is not a string', () => {
      expect(rejection(parse({ type: 'offer', id: 7 }))).not.toHaveProperty('ref');
    });

    it('rejects a non-string id and names the field', () => {
      expect(rejection(parse({ type: 'bye', id: 7 })).message).toContain('"id"');
    });

    it('gives no ref for an id over the length limit', () => {
      const error = rejection(parse({ type: 'bye', id: 'i'.repeat(LIMITS.messageIdMaxLength + 1) }));

      expect(error).not.toHaveProperty('ref');
      expect(error.message).toContain('"id"');
    });

    it('echoes an id at the length limit counted in characters, astral ones included', () => {
      // 128 characters but 250 UTF-16 units: the schema accepts it, so an error must echo it
      const id = 'id-' + '\u{1F600}'.repeat(LIMITS.messageIdMaxLength - 3);

      expect(accepted(parse({ type: 'bye', id }))['id']).toBe(id);
      expect(rejection(parse({ type: 'offer', id })).ref).toBe(id);
    });

    it('accepts an id at the length limit and keeps it on the message', () => {
      const id = 'i'.repeat(LIMITS.messageIdMaxLength);

      expect(accepted(parse({ type: 'bye', id }))['id']).toBe(id);
    });
  });

  describe('offer and answer', () => {
    it.each(['offer', 'answer'] as const)('accepts a room-wide %s', (type) => {
      expect(accepted(parse({ type, sdp: 'v=0\r\n' }))).toEqual({ type, sdp: 'v=0\r\n' });
    });

    it.each(['offer', 'answer'] as const)('accepts an %s addressed with to', (type) => {
      expect(accepted(parse({ type, sdp: 'v=0', to: 'peer-b' }))).toMatchObject({ type, sdp: 'v=0', to: 'peer-b' });
    });

    it.each(['offer', 'answer'] as const)('rejects an %s without sdp and names the field', (type) => {
      expect(rejection(parse({ type })).message).toBe(`${type}: field "sdp": sdp must be a string`);
    });

    it.each(['offer', 'answer'] as const)('rejects an %s whose sdp is not a string', (type) => {
      expect(rejection(parse({ type, sdp: { v: 0 } })).message).toBe(`${type}: field "sdp": sdp must be a string`);
    });

    it.each(['offer', 'answer'] as const)('accepts an %s whose sdp is exactly at the limit', (type) => {
      expect(parse({ type, sdp: 's'.repeat(LIMITS.sdpMaxLength) }).ok).toBe(true);
    });

    it.each(['offer', 'answer'] as const)('rejects an %s whose sdp is over the limit and names the field', (type) => {
      const message = rejection(parse({ type, sdp: 's'.repeat(LIMITS.sdpMaxLength + 1) })).message;

      expect(message).toContain(`${type}: field "sdp"`);
      expect(message).toContain(String(LIMITS.sdpMaxLength));
    });

    it('rejects a to that is not a string and names the field', () => {
      expect(rejection(parse({ type: 'offer', sdp: 'v=0', to: 5 })).message).toBe('offer: field "to": to must be a string');
    });

    it('rejects a to longer than any peer id', () => {
      const message = rejection(parse({ type: 'offer', sdp: 'v=0', to: 'p'.repeat(LIMITS.peerIdMaxLength + 1) })).message;

      expect(message).toContain('field "to"');
    });

    it('accepts unknown top-level fields', () => {
      expect(parse({ type: 'offer', sdp: 'v=0', extra: { nested: true } }).ok).toBe(true);
    });
  });

  describe('candidate', () => {
    const line = 'candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host';

    it('accepts a candidate with sdpMid and sdpMLineIndex', () => {
      expect(accepted(parse({ type: 'candidate', candidate: line, sdpMid: '0', sdpMLineIndex: 0 }))).toEqual({
        type: 'candidate',
        candidate: line,
        sdpMid: '0',
        sdpMLineIndex: 0,
      });
    });

    it('accepts an empty candidate, the end-of-candidates marker', () => {
      expect(accepted(parse({ type: 'candidate', candidate: '' }))['candidate']).toBe('');
    });

    it('accepts null sdpMid and sdpMLineIndex as browsers send them', () => {
      expect(accepted(parse({ type: 'candidate', candidate: line, sdpMid: null, sdpMLineIndex: null }))).toMatchObject({
        sdpMid: null,
        sdpMLineIndex: null,
      });
    });

    it('accepts a candidate without sdpMid and sdpMLineIndex', () => {
      expect(parse({ type: 'candidate', candidate: line }).ok).toBe(true);
    });

    it('accepts a usernameFragment that is a string or null', () => {
      expect(parse({ type: 'candidate', candidate: line, usernameFragment: 'abcd' }).ok).toBe(true);
      expect(parse({ type: 'candidate', candidate: line, usernameFragment: null }).ok).toBe(true);
    });

    it('rejects a candidate without the candidate field', () => {
      expect(rejection(parse({ type: 'candidate', sdpMid: '0' })).message).toBe(
        'candidate: field "candidate": candidate must be a string',
      );
    });

    it('rejects a candidate that is not a string', () => {
      expect(rejection(parse({ type: 'candidate', candidate: null })).message).toContain('field "candidate"');
    });

    it('accepts a candidate exactly at the limit', () => {
      expect(parse({ type: 'candidate', candidate: 'c'.repeat(LIMITS.candidateMaxLength) }).ok).toBe(true);
    });

    it('rejects a candidate over the limit and names the field', () => {
      const message = rejection(parse({ type: 'candidate', candidate: 'c'.repeat(LIMITS.candidateMaxLength + 1) })).message;

      expect(message).toContain('field "candidate"');
      expect(message).toContain(String(LIMITS.candidateMaxLength));
    });

    it('rejects an sdpMid that is not a string', () => {
      expect(rejection(parse({ type: 'candidate', candidate: line, sdpMid: 0 })).message).toBe(
        'candidate: field "sdpMid": sdpMid must be a string',
      );
    });

    it('rejects an sdpMid over the limit', () => {
      const message = rejection(parse({ type: 'candidate', candidate: line, sdpMid: 'm'.repeat(LIMITS.sdpMidMaxLength + 1) }))
        .message;

      expect(message).toContain('field "sdpMid"');
    });

    it('rejects a negative sdpMLineIndex', () => {
      expect(rejection(parse({ type: 'candidate', candidate: line, sdpMLineIndex: -1 })).message).toBe(
        'candidate: field "sdpMLineIndex": sdpMLineIndex must not be less than 0',
      );
    });

    it('rejects a non-integer sdpMLineIndex', () => {
      expect(rejection(parse({ type: 'candidate', candidate: line, sdpMLineIndex: 1.5 })).message).toBe(
        'candidate: field "sdpMLineIndex": sdpMLineIndex must be an integer number',
      );
    });

    it('rejects an sdpMLineIndex given as a string', () => {
      expect(rejection(parse({ type: 'candidate', candidate: line, sdpMLineIndex: '0' })).message).toBe(
        'candidate: field "sdpMLineIndex": sdpMLineIndex must be an integer number',
      );
    });

    it('rejects an sdpMLineIndex over the limit', () => {
      expect(rejection(parse({ type: 'candidate', candidate: line, sdpMLineIndex: LIMITS.sdpMLineIndexMax + 1 })).message).toContain(
        'field "sdpMLineIndex"',
      );
    });

    it('rejects a usernameFragment that is not a string', () => {
      expect(rejection(parse({ type: 'candidate', candidate: line, usernameFragment: 5 })).message).toContain(
        'field "usernameFragment"',
      );
    });
  });

  describe('state', () => {
    it('accepts a state with every field set', () => {
      const frame = {
        type: 'state',
        to: 'peer-b',
        connectionState: 'failed',
        iceConnectionState: 'disconnected',
        signalingState: 'have-local-offer',
        iceGatheringState: 'complete',
        reason: 'ICE failed after restart',
      };

      expect(accepted(parse(frame))).toEqual(frame);
    });

    it('accepts a state with no optional field', () => {
      expect(parse({ type: 'state' }).ok).toBe(true);
    });

    it.each([
      ['connectionState', CONNECTION_STATES],
      ['iceConnectionState', ICE_CONNECTION_STATES],
      ['signalingState', SIGNALING_STATES],
      ['iceGatheringState', ICE_GATHERING_STATES],
    ] as const)('accepts every browser value of %s', (field, values) => {
      for (const value of values) expect(parse({ type: 'state', [field]: value }).ok).toBe(true);
    });

    it.each(['connectionState', 'iceConnectionState', 'signalingState', 'iceGatheringState'])(
      'rejects a value of %s outside the browser enum and names the field',
      (field) => {
        expect(rejection(parse({ type: 'state', [field]: 'exploded' })).message).toContain(`state: field "${field}"`);
      },
    );

    it('rejects an enum value in the wrong case', () => {
      expect(parse({ type: 'state', connectionState: 'Connected' }).ok).toBe(false);
    });

    it('rejects a state value of the wrong type', () => {
      expect(rejection(parse({ type: 'state', connectionState: 1 })).message).toContain('field "connectionState"');
    });

    it('accepts a reason of exactly 256 characters', () => {
      expect(parse({ type: 'state', reason: 'r'.repeat(LIMITS.stateReasonMaxLength) }).ok).toBe(true);
    });

    it('rejects a reason of 257 characters and names the field', () => {
      expect(rejection(parse({ type: 'state', reason: 'r'.repeat(LIMITS.stateReasonMaxLength + 1) })).message).toContain(
        'state: field "reason"',
      );
    });

    it('rejects a reason that is not a string', () => {
      expect(rejection(parse({ type: 'state', reason: 42 })).message).toBe('state: field "reason": reason must be a string');
    });
  });

  describe('stats', () => {
    const report = {
      rttMs: 42.5,
      packetLossPct: 0.1,
      jitterMs: 3,
      bitrateKbps: 1200,
      localCandidateType: 'srflx',
      remoteCandidateType: 'relay',
      protocol: 'udp',
      relayProtocol: 'tcp',
    };

    it('accepts a report with every known key', () => {
      expect(accepted(parse({ type: 'stats', to: 'peer-b', report }))['report']).toEqual(report);
    });

    it('accepts an empty report', () => {
      expect(parse({ type: 'stats', report: {} }).ok).toBe(true);
    });

    it('accepts a report with unknown keys', () => {
      expect(parse({ type: 'stats', report: { rttMs: 10, audioLevel: 0.3, codec: { name: 'opus' } } }).ok).toBe(true);
    });

    it('rejects a stats message without a report', () => {
      expect(rejection(parse({ type: 'stats' })).message).toContain('stats: field "report"');
    });

    it.each([
      ['null', null],
      ['a string', 'rtt=5'],
      ['a number', 5],
      ['an array', [{ rttMs: 5 }]],
    ])('rejects a report that is %s', (_label, value) => {
      expect(rejection(parse({ type: 'stats', report: value })).message).toContain('stats: field "report"');
    });

    it.each(['rttMs', 'packetLossPct', 'jitterMs', 'bitrateKbps'])('rejects a %s that is not a number and names it', (key) => {
      expect(rejection(parse({ type: 'stats', report: { [key]: '12' } })).message).toContain(`stats: field "report.${key}"`);
    });

    it.each(['localCandidateType', 'remoteCandidateType', 'protocol', 'relayProtocol'])(
      'rejects a %s that is not a string and names it',
      (key) => {
        expect(rejection(parse({ type: 'stats', report: { [key]: 1 } })).message).toBe(
          `stats: field "report.${key}": ${key} must be a string`,
        );
      },
    );

    it('rejects a string value over the short-string limit', () => {
      const message = rejection(parse({ type: 'stats', report: { protocol: 'u'.repeat(LIMITS.statsStringMaxLength + 1) } })).message;

      expect(message).toContain('field "report.protocol"');
    });
  });

  describe('ping', () => {
    it('accepts a ping with a numeric t', () => {
      expect(accepted(parse({ type: 'ping', t: 1_700_000_000_123 }))).toEqual({ type: 'ping', t: 1_700_000_000_123 });
    });

    it('accepts a ping without t', () => {
      expect(accepted(parse({ type: 'ping' }))).toEqual({ type: 'ping' });
    });

    it.each([
      ['a string', '5'],
      ['an object', { at: 5 }],
      ['a boolean', true],
    ])('rejects a t that is %s and names the field', (_label, t) => {
      expect(rejection(parse({ type: 'ping', t })).message).toContain('ping: field "t"');
    });
  });

  describe('bye', () => {
    it('accepts a bye', () => {
      expect(accepted(parse({ type: 'bye' }))).toEqual({ type: 'bye' });
    });

    it('accepts a bye with an id', () => {
      expect(accepted(parse({ type: 'bye', id: 'last' }))).toEqual({ type: 'bye', id: 'last' });
    });
  });
});

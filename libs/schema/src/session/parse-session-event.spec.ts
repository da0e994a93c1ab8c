import { ICE_UFRAG_MAX_LENGTH } from '../client-messages/ice-ufrag-of';
import { StatsReport } from '../client-messages/stats-report';
import { LIMITS } from '../limits';
import { parseSessionEvent, type ParseSessionEventResult } from './parse-session-event';
import { SESSION_EVENT_CLASSES, SESSION_EVENT_KINDS, type SessionEvent, type SessionEventKind } from './session-event';
import { VALID_SESSION_EVENTS } from './session-event.fixtures';

function accepted(result: ParseSessionEventResult): SessionEvent {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.error}`);
  return result.event;
}

function rejection(result: ParseSessionEventResult): string {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return result.error;
}

/** The valid event of `kind` with `changes` applied; an `undefined` change removes the field. */
function eventWith(kind: SessionEventKind, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const event: Record<string, unknown> = { ...structuredClone(VALID_SESSION_EVENTS[kind]), ...changes };
  for (const [field, value] of Object.entries(changes)) if (value === undefined) delete event[field];
  return event;
}

const long = (length: number) => 'x'.repeat(length);

describe(parseSessionEvent.name, () => {
  describe('valid events', () => {
    it.each(SESSION_EVENT_KINDS)('accepts a %s event with every field into an instance of its class', (kind) => {
      const event = accepted(parseSessionEvent(VALID_SESSION_EVENTS[kind]));

      expect(event).toBeInstanceOf(SESSION_EVENT_CLASSES[kind]);
      expect(event).toEqual(VALID_SESSION_EVENTS[kind]);
    });

    it.each([
      ['peer-joined', ['name']],
      ['signal', ['candidate', 'iceUfrag']],
      ['state', ['to', 'connectionState', 'iceConnectionState', 'signalingState', 'iceGatheringState', 'reason', 'dtlsState']],
      ['stats', ['to']],
    ] as const)('accepts a %s event without its optional fields', (kind, optional) => {
      const data = eventWith(kind, Object.fromEntries(optional.map((field) => [field, undefined])));

      expect(accepted(parseSessionEvent(data))).toEqual(data);
    });

    it('accepts a stats event with an empty report, into a StatsReport', () => {
      const event = accepted(parseSessionEvent(eventWith('stats', { report: {} })));

      expect(event.kind === 'stats' && event.report).toBeInstanceOf(StatsReport);
    });

    it.each(['offer', 'answer', 'candidate'])('accepts a %s signal', (signal) => {
      expect(parseSessionEvent(eventWith('signal', { signal, candidate: undefined })).ok).toBe(true);
    });

    it.each(['bye', 'disconnected', 'timeout', 'node-lost', 'kicked'])('accepts a peer-left for reason %s', (reason) => {
      expect(parseSessionEvent(eventWith('peer-left', { reason })).ok).toBe(true);
    });

    it('accepts an empty candidate, the end-of-candidates marker', () => {
      expect(parseSessionEvent(eventWith('signal', { candidate: '' })).ok).toBe(true);
    });

    it('accepts every field at its length limit', () => {
      const atLimits = [
        eventWith('peer-joined', {
          room: long(64),
          node: long(128),
          peer: long(LIMITS.peerIdMaxLength),
          user: long(LIMITS.userMaxLength),
          remoteAddr: long(LIMITS.remoteAddrMaxLength),
          userAgent: long(LIMITS.userAgentMaxLength),
          name: long(LIMITS.nameMaxLength),
        }),
        eventWith('signal', { from: long(LIMITS.peerIdMaxLength), to: long(LIMITS.peerIdMaxLength), candidate: long(LIMITS.candidateMaxLength), iceUfrag: long(ICE_UFRAG_MAX_LENGTH) }),
        eventWith('state', { to: long(LIMITS.peerIdMaxLength), reason: long(LIMITS.stateReasonMaxLength) }),
      ];

      expect(atLimits.map((data) => parseSessionEvent(data).ok)).toEqual([true, true, true]);
    });

    it('accepts a time with a fraction of a millisecond', () => {
      expect(parseSessionEvent(eventWith('peer-left', { t: 1_700_000_000_000.5 })).ok).toBe(true);
    });

    it('returns a fresh instance: later changes to the input do not reach it', () => {
      const data = eventWith('stats');
      const event = accepted(parseSessionEvent(data));
      (data['report'] as Record<string, unknown>)['rttMs'] = 'changed';
      data['peer'] = 'changed';

      expect(event).toMatchObject({ peer: 'peer-a', report: { rttMs: 12 } });
    });

    it('takes the kind from the class, not from a copied field', () => {
      expect(accepted(parseSessionEvent(eventWith('peer-left'))).kind).toBe('peer-left');
    });

    it('drops unknown fields, here and in a stats report', () => {
      const event = accepted(parseSessionEvent(eventWith('stats', { extra: 1, report: { rttMs: 1, extra: 2 } })));

      expect(event).not.toHaveProperty('extra');
      expect(event.kind === 'stats' && event.report).not.toHaveProperty('extra');
    });
  });

  describe('nullable fields', () => {
    it('accepts a peer-joined with user and userAgent null', () => {
      const event = accepted(parseSessionEvent(eventWith('peer-joined', { user: null, userAgent: null })));

      expect(event).toMatchObject({ user: null, userAgent: null });
    });

    it.each(['user', 'userAgent'])('rejects a peer-joined without %s: null is allowed, absent is not', (field) => {
      expect(rejection(parseSessionEvent(eventWith('peer-joined', { [field]: undefined })))).toBe(
        `peer-joined: field "${field}": ${field} must be a string or null`,
      );
    });

    it.each([
      ['peer-joined', 'name'],
      ['signal', 'candidate'],
      ['signal', 'iceUfrag'],
      ['state', 'to'],
      ['state', 'connectionState'],
      ['state', 'reason'],
      ['stats', 'to'],
    ] as const)('rejects null for the optional %s field %s: optional is not nullable', (kind, field) => {
      expect(rejection(parseSessionEvent(eventWith(kind, { [field]: null })))).toMatch(new RegExp(`^${kind}: field "${field}": `));
    });
  });

  describe('fields every event has', () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['t missing', 't', undefined, 't must be a number conforming to the specified constraints'],
      ['t a string', 't', '1700000000000', 't must be a number conforming to the specified constraints'],
      ['t not a number', 't', Number.NaN, 't must be a number conforming to the specified constraints'],
      ['t infinite', 't', Number.POSITIVE_INFINITY, 't must be a number conforming to the specified constraints'],
      ['t zero', 't', 0, 't must be a positive number'],
      ['t negative', 't', -1, 't must be a positive number'],
      ['room missing', 'room', undefined, 'room must be a string'],
      ['room not a string', 'room', 7, 'room must be a string'],
      ['room empty', 'room', '', 'room must match ^[A-Za-z0-9_-]{1,64}$'],
      ['room with a space', 'room', 'room 1', 'room must match ^[A-Za-z0-9_-]{1,64}$'],
      ['room over 64 characters', 'room', long(65), 'room must match ^[A-Za-z0-9_-]{1,64}$'],
      ['node missing', 'node', undefined, 'node must be a string'],
      ['node empty', 'node', '', 'node must match ^[A-Za-z0-9_.:@-]{1,128}$'],
      ['node with a slash', 'node', 'gw/1', 'node must match ^[A-Za-z0-9_.:@-]{1,128}$'],
      ['node over 128 characters', 'node', long(129), 'node must match ^[A-Za-z0-9_.:@-]{1,128}$'],
    ];

    describe.each(SESSION_EVENT_KINDS)('%s', (kind) => {
      it.each(cases)('rejects %s and names the field', (_label, field, value, message) => {
        expect(rejection(parseSessionEvent(eventWith(kind, { [field]: value })))).toBe(`${kind}: field "${field}": ${message}`);
      });
    });
  });

  describe('fields of each kind', () => {
    const peerIdCases = (kind: SessionEventKind, field: string, required: boolean): Array<[SessionEventKind, string, unknown, string]> => [
      ...(required ? [[kind, field, undefined, `${field} must be a string`] as [SessionEventKind, string, unknown, string]] : []),
      [kind, field, 7, `${field} must be a string`],
      [kind, field, '', `${field} should not be empty`],
      [kind, field, long(LIMITS.peerIdMaxLength + 1), `${field} must be shorter than or equal to ${LIMITS.peerIdMaxLength} characters`],
    ];
    const cases: Array<[SessionEventKind, string, unknown, string]> = [
      ...peerIdCases('peer-joined', 'peer', true),
      ['peer-joined', 'user', 7, 'user must be a string or null'],
      ['peer-joined', 'user', long(LIMITS.userMaxLength + 1), 'user must be shorter than or equal to 256 characters'],
      ['peer-joined', 'remoteAddr', undefined, 'remoteAddr must be a string'],
      ['peer-joined', 'remoteAddr', null, 'remoteAddr must be a string'],
      ['peer-joined', 'remoteAddr', '', 'remoteAddr should not be empty'],
      ['peer-joined', 'remoteAddr', long(LIMITS.remoteAddrMaxLength + 1), 'remoteAddr must be shorter than or equal to 64 characters'],
      ['peer-joined', 'userAgent', ['Mozilla'], 'userAgent must be a string or null'],
      ['peer-joined', 'userAgent', long(LIMITS.userAgentMaxLength + 1), 'userAgent must be shorter than or equal to 512 characters'],
      ['peer-joined', 'name', 7, 'name must be a string'],
      ['peer-joined', 'name', long(LIMITS.nameMaxLength + 1), 'name must be shorter than or equal to 64 characters'],
      ...peerIdCases('peer-left', 'peer', true),
      ['peer-left', 'reason', undefined, 'reason must be one of the following values: bye, disconnected, timeout, node-lost, kicked'],
      ['peer-left', 'reason', 'gone', 'reason must be one of the following values: bye, disconnected, timeout, node-lost, kicked'],
      ['signal', 'signal', undefined, 'signal must be one of the following values: offer, answer, candidate'],
      ['signal', 'signal', 'bye', 'signal must be one of the following values: offer, answer, candidate'],
      ...peerIdCases('signal', 'from', true),
      ...peerIdCases('signal', 'to', true),
      ['signal', 'candidate', 7, 'candidate must be a string'],
      ['signal', 'candidate', long(LIMITS.candidateMaxLength + 1), 'candidate must be shorter than or equal to 1024 characters'],
      ['signal', 'iceUfrag', 7, 'iceUfrag must be a string'],
      ['signal', 'iceUfrag', '', 'iceUfrag should not be empty'],
      ['signal', 'iceUfrag', long(ICE_UFRAG_MAX_LENGTH + 1), 'iceUfrag must be shorter than or equal to 256 characters'],
      ...peerIdCases('state', 'peer', true),
      ...peerIdCases('state', 'to', false),
      ['state', 'connectionState', 'up', 'connectionState must be one of the following values: new, connecting, connected, disconnected, failed, closed'],
      ['state', 'iceConnectionState', 'up', 'iceConnectionState must be one of the following values: new, checking, connected, completed, disconnected, failed, closed'],
      ['state', 'signalingState', 'up', 'signalingState must be one of the following values: stable, have-local-offer, have-remote-offer, have-local-pranswer, have-remote-pranswer, closed'],
      ['state', 'iceGatheringState', 'up', 'iceGatheringState must be one of the following values: new, gathering, complete'],
      ['state', 'reason', 7, 'reason must be a string'],
      ['state', 'dtlsState', 'up', 'dtlsState must be one of the following values: new, connecting, connected, closed, failed'],
      ['state', 'reason', long(LIMITS.stateReasonMaxLength + 1), 'reason must be shorter than or equal to 256 characters'],
      ...peerIdCases('stats', 'peer', true),
      ...peerIdCases('stats', 'to', false),
      ['stats', 'report', undefined, 'report should not be null or undefined'],
      ['stats', 'report', null, 'report should not be null or undefined'],
      ['stats', 'report', 'fast', 'report must be an object'],
      ['stats', 'report', [], 'report must be an object'],
    ];

    it.each(cases)('rejects a %s event whose %s is %p and names the field', (kind, field, value, message) => {
      expect(rejection(parseSessionEvent(eventWith(kind, { [field]: value })))).toBe(`${kind}: field "${field}": ${message}`);
    });

    it.each([
      ['rttMs', 'slow', 'rttMs must be a number conforming to the specified constraints'],
      ['packetLossPct', null, 'packetLossPct must be a number conforming to the specified constraints'],
      ['protocol', long(LIMITS.statsStringMaxLength + 1), 'protocol must be shorter than or equal to 64 characters'],
    ])('rejects a stats report whose %s is %p and names the nested field', (field, value, message) => {
      const data = eventWith('stats', { report: { rttMs: 1, [field]: value } });

      expect(rejection(parseSessionEvent(data))).toBe(`stats: field "report.${field}": ${message}`);
    });
  });

  describe('kind', () => {
    it.each([
      ['null', null],
      ['a string', 'peer-left'],
      ['a number', 42],
      ['an array', [VALID_SESSION_EVENTS['peer-left']]],
      ['undefined', undefined],
    ])('rejects an event that is %s', (_label, data) => {
      expect(rejection(parseSessionEvent(data))).toBe('event must be a JSON object');
    });

    it.each([
      ['missing', undefined],
      ['a number', 1],
      ['null', null],
      ['an object', { kind: 'signal' }],
    ])('rejects a kind that is %s', (_label, kind) => {
      expect(rejection(parseSessionEvent(eventWith('signal', { kind })))).toBe('field "kind" must be a string');
    });

    it('rejects an unknown kind and names it', () => {
      expect(rejection(parseSessionEvent(eventWith('signal', { kind: 'peer-kicked' })))).toBe('unknown event kind "peer-kicked"');
    });

    it('quotes at most 64 characters of an unknown kind', () => {
      expect(rejection(parseSessionEvent(eventWith('signal', { kind: 'k'.repeat(10_000) })))).toBe(`unknown event kind "${'k'.repeat(64)}"`);
    });

    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('treats the inherited property name "%s" as an unknown kind', (kind) => {
      expect(rejection(parseSessionEvent(eventWith('signal', { kind })))).toBe(`unknown event kind "${kind}"`);
    });

    it('reads only an own kind, never one inherited by the object', () => {
      const data = Object.assign(Object.create({ kind: 'peer-left' }) as object, eventWith('peer-left', { kind: undefined }));

      expect(rejection(parseSessionEvent(data))).toBe('field "kind" must be a string');
    });

    it('knows exactly the event kinds the gateway writes', () => {
      expect([...SESSION_EVENT_KINDS].sort()).toEqual(['peer-joined', 'peer-left', 'peer-resumed', 'signal', 'state', 'stats']);
    });
  });

  describe('hostile input', () => {
    const hostile = (kind: SessionEventKind) =>
      JSON.stringify(VALID_SESSION_EVENTS[kind]).replace(/^\{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');

    it.each(SESSION_EVENT_KINDS)('ignores "__proto__" and "constructor" keys of a %s event', (kind) => {
      const event = accepted(parseSessionEvent(JSON.parse(hostile(kind))));

      expect(Object.getPrototypeOf(event)).toBe(SESSION_EVENT_CLASSES[kind].prototype);
      expect(Object.hasOwn(event, '__proto__')).toBe(false);
      expect(Object.hasOwn(event, 'constructor')).toBe(false);
      expect((event as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(event).toEqual(VALID_SESSION_EVENTS[kind]);
    });

    it('ignores a "__proto__" key inside a stats report', () => {
      const data = JSON.parse('{"kind":"stats","t":1,"room":"r","node":"n","peer":"p","report":{"__proto__":{"rttMs":"slow"},"jitterMs":2}}');
      const event = accepted(parseSessionEvent(data));

      expect(event.kind === 'stats' && Object.getPrototypeOf(event.report)).toBe(StatsReport.prototype);
      expect(event).toMatchObject({ report: { jitterMs: 2 } });
      expect(event.kind === 'stats' && event.report.rttMs).toBeUndefined();
    });

    it('leaves Object.prototype untouched', () => {
      for (const kind of SESSION_EVENT_KINDS) parseSessionEvent(JSON.parse(hostile(kind)));

      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('never echoes a long value in an error', () => {
      const values = ['v'.repeat(10_000), 'v'.repeat(65)];
      const errors = values.flatMap((value) =>
        SESSION_EVENT_KINDS.flatMap((kind) =>
          ['room', 'node', 'peer', 'to', 'from', 'user', 'remoteAddr', 'reason', 'signal', 'connectionState'].map((field) =>
            parseSessionEvent(eventWith(kind, { [field]: value })),
          ),
        ),
      );

      for (const result of errors) if (!result.ok) expect(result.error).not.toContain('v'.repeat(65));
      expect(errors.filter((result) => !result.ok).length).toBeGreaterThan(20);
    });
  });
});

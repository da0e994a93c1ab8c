import { validateSync } from 'class-validator';
import { CLIENT_MESSAGE_CLASSES } from '../client-messages/client-message';
import { JoinQuery } from '../join-query';
import { compileValidator } from './compile-validator';
import { StatsReport } from '../client-messages/stats-report';

// The compiled check must accept exactly what class-validator accepts.
describe(compileValidator.name, () => {
  const pool: unknown[] = [
    undefined,
    null,
    '',
    'x',
    'offer',
    'connected',
    'completed',
    'have-local-offer',
    'gathering',
    '0',
    'a'.repeat(64),
    'a'.repeat(65),
    'a'.repeat(129),
    'a'.repeat(257),
    'a'.repeat(1_025),
    'a'.repeat(32_769),
    // surrogate pairs: over a limit in UTF-16 units, within it in characters, and over both
    '\u{1F600}'.repeat(40),
    '\u{1F600}'.repeat(70),
    'e\uFE0F'.repeat(40),
    0,
    1,
    -1,
    1.5,
    1_023,
    1_024,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    [],
    ['a'],
    {},
    { rttMs: 12 },
    { rttMs: 'slow' },
    { protocol: 'udp', packetLossPct: 0.5 },
  ];
  const fields = ['id', 'to', 'sdp', 'candidate', 'sdpMid', 'sdpMLineIndex', 'usernameFragment', 'connectionState', 'iceConnectionState', 'signalingState', 'iceGatheringState', 'reason', 'report', 't'];

  // a seeded generator: the same cases on every run
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };

  it.each(Object.entries(CLIENT_MESSAGE_CLASSES))('agrees with validateSync for %s on 3000 random messages', (_, messageClass) => {
    const fast = compileValidator(messageClass);
    let accepted = 0;
    for (let i = 0; i < 3_000; i++) {
      const message = new messageClass() as unknown as Record<string, unknown>;
      for (const field of fields) {
        if (random() < 0.5) continue;
        let value = pool[Math.floor(random() * pool.length)];
        if (field === 'report' && value instanceof Object && !Array.isArray(value) && random() < 0.8) value = Object.assign(new StatsReport(), value);
        message[field] = value;
      }
      const expected = validateSync(message).length === 0;
      expect({ message, accepted: fast(message) }).toEqual({ message, accepted: expected });
      if (expected) accepted++;
    }
    // the generator must exercise both outcomes for the comparison to mean anything
    expect(accepted).toBeGreaterThan(0);
  });

  it('refuses an object of a class without validation metadata, as forbidUnknownValues does', () => {
    expect(compileValidator(class Unknown {})({})).toBe(false);
  });
});

describe('compileValidator(JoinQuery)', () => {
  const pool: Array<string | undefined> = [undefined, '', 'a', 'room-1', 'a_b-C9', 'a'.repeat(64), 'a'.repeat(65), 'a b', 'ä', '../x', 'x'.repeat(129), 'x'.repeat(256), 'x'.repeat(257), 'x'.repeat(4_096), 'x'.repeat(4_097), '\u{1F600}'.repeat(40), 'e\uFE0F'.repeat(70)];
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };

  it('agrees with validateSync on 3000 random connect queries', () => {
    const fast = compileValidator(JoinQuery);
    let accepted = 0;
    for (let i = 0; i < 3_000; i++) {
      const query = new JoinQuery() as unknown as Record<string, unknown>;
      for (const field of ['room', 'name', 'token', 'resume']) query[field] = pool[Math.floor(random() * pool.length)];
      const expected = validateSync(query).length === 0;
      expect({ query, accepted: fast(query) }).toEqual({ query, accepted: expected });
      if (expected) accepted++;
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

import { validateSync } from 'class-validator';
import { CLIENT_MESSAGE_CLASSES } from './client-message';
import { compileValidator } from './compile-validator';
import { StatsReport } from './stats-report';

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

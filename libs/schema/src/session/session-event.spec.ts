import { validateSync } from 'class-validator';
import { compileValidator } from '../validation/compile-validator';
import { STATS_REPORT_KEYS, StatsReport } from '../client-messages/stats-report';
import { compileFieldCopier, isPlainObject, validatedFields } from '../validation/copy-fields';
import { parseSessionEvent } from './parse-session-event';
import { SESSION_EVENT_CLASSES, SESSION_EVENT_KINDS, type SessionEventKind } from './session-event';
import { VALID_SESSION_EVENTS } from './session-event.fixtures';

/** mulberry32: a seeded generator, so every run checks the same cases. */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Values on both sides of every constraint: types, enum members, pattern and length edges.
const POOL: readonly unknown[] = [
  undefined,
  null,
  '',
  'x',
  'room-1',
  'room 1',
  'gw-1.example:8080@eu',
  'gw/1',
  'offer',
  'candidate',
  'bye',
  'kicked',
  'connected',
  'completed',
  'stable',
  'gathering',
  'udp',
  ...[64, 65, 128, 129, 256, 257, 512, 513, 1_024, 1_025].map((length) => 'p'.repeat(length)),
  0,
  -1,
  1,
  1.5,
  1_700_000_000_000,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  true,
  [],
  ['a'],
  {},
  { rttMs: 12 },
  { rttMs: 'slow' },
  { protocol: 'p'.repeat(65), jitterMs: 1 },
];

const CASES_PER_KIND = 1_000;

// The compiled check must accept exactly what class-validator accepts, or the
// indexer would index events validateSync refuses (or dead-letter good ones).
describe('session event validation', () => {
  const random = seededRandom(20_240_601);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];

  /** The valid event of `kind` with 0 to 3 fields (or stats report fields) set to pool values. */
  function mutate(kind: SessionEventKind, fields: readonly string[]): Record<string, unknown> {
    const data = structuredClone(VALID_SESSION_EVENTS[kind]);
    const mutations = Math.floor(random() * 4);
    for (let i = 0; i < mutations; i++) {
      const nested = isPlainObject(data['report']) && random() < 0.3;
      const target = nested ? (data['report'] as Record<string, unknown>) : data;
      const field = pick<string>(nested ? STATS_REPORT_KEYS : fields);
      const value = pick(POOL);
      if (value === undefined && random() < 0.5) delete target[field];
      else target[field] = value;
    }
    return data;
  }

  it.each(SESSION_EVENT_KINDS)(`compiled check agrees with validateSync on ${CASES_PER_KIND} mutated %s events`, (kind) => {
    const eventClass = SESSION_EVENT_CLASSES[kind];
    const fields = validatedFields(eventClass);
    const fast = compileValidator(eventClass);
    const copyFields = compileFieldCopier(fields);
    const copyReportFields = compileFieldCopier(STATS_REPORT_KEYS);
    const disagreements: unknown[] = [];
    let accepted = 0;
    for (let i = 0; i < CASES_PER_KIND; i++) {
      const data = mutate(kind, fields);
      const event = copyFields(data, new eventClass()) as unknown as Record<string, unknown>;
      // mostly as the parser builds it; sometimes a plain object, which both must refuse
      const typedReport = isPlainObject(event['report']) && random() < 0.8;
      if (typedReport) event['report'] = copyReportFields(event['report'] as Record<string, unknown>, new StatsReport());
      const expected = validateSync(event).length === 0;
      if (fast(event) !== expected) disagreements.push({ data, typedReport, expected });
      // the parser, which builds its own instance, decides the same
      if ((typedReport || !isPlainObject(data['report'])) && parseSessionEvent(data).ok !== expected) {
        disagreements.push({ data, parser: true, expected });
      }
      if (expected) accepted++;
    }

    expect(disagreements.slice(0, 5)).toEqual([]);
    // both outcomes must be common for the comparison to mean anything
    expect(accepted).toBeGreaterThan(CASES_PER_KIND / 10);
    expect(CASES_PER_KIND - accepted).toBeGreaterThan(CASES_PER_KIND / 10);
  });

  it.each(SESSION_EVENT_KINDS)('%s compiles: it uses only decorators the compiled check supports', (kind) => {
    expect(() => compileValidator(SESSION_EVENT_CLASSES[kind])).not.toThrow();
  });
});

import { retryWhileBusy } from './retry-while-busy';

function sqliteError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** A step that throws `error` on its first `failures` tries (every try when null), then gives 'wal'; counts its tries. */
function failingStep(error: Error, failures: number | null): { run: () => string; tries: number } {
  const step = {
    tries: 0,
    run: () => {
      step.tries += 1;
      if (failures === null || step.tries <= failures) throw error;
      return 'wal';
    },
  };
  return step;
}

describe(retryWhileBusy.name, () => {
  it('tries again while SQLite answers BUSY, and returns what the step gives once it passes', () => {
    const step = failingStep(sqliteError('database is locked', 'SQLITE_BUSY'), 3);
    expect(retryWhileBusy(step.run, 5_000, 1)).toBe('wal');
    expect(step.tries).toBe(4);
  });

  it('gives up with the BUSY error once the time is up', () => {
    const step = failingStep(sqliteError('database is locked', 'SQLITE_BUSY'), null);
    expect(() => retryWhileBusy(step.run, 30, 5)).toThrow('database is locked');
    expect(step.tries).toBeGreaterThan(1);
  });

  it('passes any other error through at once', () => {
    const step = failingStep(sqliteError('disk I/O error', 'SQLITE_IOERR'), null);
    expect(() => retryWhileBusy(step.run, 5_000, 1)).toThrow('disk I/O error');
    expect(step.tries).toBe(1);
  });
});

import { retryWhileBusy } from './retry-while-busy';

function busy(): Error {
  return Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
}

describe(retryWhileBusy.name, () => {
  it('tries again while SQLite answers BUSY, and returns what the step gives once it passes', () => {
    let tries = 0;
    const result = retryWhileBusy(() => {
      tries += 1;
      if (tries < 4) throw busy();
      return 'wal';
    }, 5_000, 1);
    expect(result).toBe('wal');
    expect(tries).toBe(4);
  });

  it('gives up with the BUSY error once the time is up', () => {
    let tries = 0;
    expect(() =>
      retryWhileBusy(() => {
        tries += 1;
        throw busy();
      }, 30, 5),
    ).toThrow('database is locked');
    expect(tries).toBeGreaterThan(1);
  });

  it('passes any other error through at once', () => {
    let tries = 0;
    expect(() =>
      retryWhileBusy(() => {
        tries += 1;
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      }, 5_000, 1),
    ).toThrow('disk I/O error');
    expect(tries).toBe(1);
  });
});

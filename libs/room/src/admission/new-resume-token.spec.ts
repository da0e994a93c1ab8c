import { newResumeToken } from './new-resume-token';

describe(newResumeToken.name, () => {
  it('is 43 base64url characters (256 bits)', () => {
    expect(newResumeToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is different every time', () => {
    const tokens = new Set(Array.from({ length: 1_000 }, () => newResumeToken()));

    expect(tokens.size).toBe(1_000);
  });

  it('stays different across many refills of its random pool', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, () => newResumeToken()));

    expect(tokens.size).toBe(10_000);
  });
});

import { newResumeToken } from '../admission/new-resume-token';
import { hashResumeToken } from './hash-resume-token';

describe(hashResumeToken.name, () => {
  it('is the same for the same token', () => {
    const token = newResumeToken();

    expect(hashResumeToken(token)).toBe(hashResumeToken(token));
  });

  it('differs from the token and between tokens', () => {
    const [a, b] = [newResumeToken(), newResumeToken()];

    expect(hashResumeToken(a)).not.toBe(a);
    expect(hashResumeToken(a)).not.toBe(hashResumeToken(b));
  });

  it('is the SHA-256 of the token in base64url', () => {
    expect(hashResumeToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});

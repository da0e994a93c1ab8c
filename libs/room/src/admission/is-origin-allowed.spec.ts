import { isOriginAllowed } from './is-origin-allowed';

const ALLOWED = ['https://app.example.com', 'http://localhost:3000'];

describe(isOriginAllowed.name, () => {
  it('allows any origin when no list is set', () => {
    expect(isOriginAllowed([], 'https://evil.example')).toBe(true);
  });

  it('allows a missing origin when no list is set', () => {
    expect(isOriginAllowed([], undefined)).toBe(true);
  });

  it('allows an origin on the list', () => {
    expect(isOriginAllowed(ALLOWED, 'http://localhost:3000')).toBe(true);
  });

  it('refuses an origin not on the list', () => {
    expect(isOriginAllowed(ALLOWED, 'https://evil.example')).toBe(false);
  });

  it('refuses a missing origin when a list is set', () => {
    expect(isOriginAllowed(ALLOWED, undefined)).toBe(false);
  });

  it('refuses an origin that only shares a prefix with an allowed one', () => {
    expect(isOriginAllowed(ALLOWED, 'https://app.example.com.evil.example')).toBe(false);
  });

  it('refuses an allowed host on another scheme', () => {
    expect(isOriginAllowed(ALLOWED, 'http://app.example.com')).toBe(false);
  });
});

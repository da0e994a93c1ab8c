import { canonicalOrigin, isOriginAllowed } from './is-origin-allowed';

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

describe(canonicalOrigin.name, () => {
  it.each([
    ['https://App.Example.com:443', 'https://app.example.com'],
    ['HTTPS://app.example.com', 'https://app.example.com'],
    ['http://app.example.com:80', 'http://app.example.com'],
    ['http://LOCALHOST:3000', 'http://localhost:3000'],
    ['https://app.example.com:8443', 'https://app.example.com:8443'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
    ['http://[0:0:0:0:0:0:0:1]:80', 'http://[::1]'],
  ])('canonicalises %s to %s', (origin, expected) => {
    expect(canonicalOrigin(origin)).toBe(expected);
  });

  it('keeps a non-default port of the other scheme', () => {
    expect(canonicalOrigin('http://app.example.com:443')).toBe('http://app.example.com:443');
  });

  it.each([
    ['null'],
    [''],
    ['app.example.com'],
    ['https://app.example.com/'],
    ['https://app.example.com/path'],
    ['https://app.example.com?x=1'],
    ['https://user@app.example.com'],
    ['ftp://app.example.com'],
    ['chrome-extension://abcdef'],
    ['https://app.example.com:99999'],
    ['https://app example.com'],
  ])('has no canonical form for %j', (origin) => {
    expect(canonicalOrigin(origin)).toBeNull();
  });
});

describe(`${isOriginAllowed.name} with canonical forms`, () => {
  it('allows an origin that differs from a listed one only in case and default port', () => {
    expect(isOriginAllowed(['https://app.example.com'], 'https://App.Example.COM:443')).toBe(true);
  });

  it('allows an origin when the list entry is the one written in another case', () => {
    expect(isOriginAllowed(['HTTPS://APP.EXAMPLE.COM:443'], 'https://app.example.com')).toBe(true);
  });

  it('refuses an allowed host on another port', () => {
    expect(isOriginAllowed(['https://app.example.com'], 'https://app.example.com:8443')).toBe(false);
  });

  it('refuses the null origin even when it is listed', () => {
    expect(isOriginAllowed(['null', 'https://app.example.com'], 'null')).toBe(false);
  });

  it('refuses an origin with a path, even if its origin part is allowed', () => {
    expect(isOriginAllowed(['https://app.example.com'], 'https://app.example.com/evil')).toBe(false);
  });

  it('refuses an origin carrying credentials before the allowed host', () => {
    expect(isOriginAllowed(['https://app.example.com'], 'https://app.example.com@evil.example')).toBe(false);
  });
});

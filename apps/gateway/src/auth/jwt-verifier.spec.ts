import { createHmac, KeyObject } from 'node:crypto';
import { CryptoKey, exportJWK, exportSPKI, FetchImplementation, generateKeyPair, JWK, JWTPayload, SignJWT } from 'jose';
import type { AuthConfig } from './auth-config';
import { JwtVerifier, TokenVerdict } from './jwt-verifier';

const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const SECRET = 'hs256-test-secret-of-at-least-32-bytes';
const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'signaling';

const BASE: AuthConfig = {
  enabled: true,
  secret: undefined,
  jwksUrl: undefined,
  jwksCooldownMs: 30_000,
  algorithms: ['HS256'],
  issuer: ISSUER,
  audience: AUDIENCE,
  roomsClaim: 'rooms',
  clockToleranceSeconds: 5,
};

const HS_CONFIG: AuthConfig = { ...BASE, secret: SECRET };

const GOOD_CLAIMS: JWTPayload = { sub: 'user-1', iss: ISSUER, aud: AUDIENCE, exp: NOW + 60, iat: NOW, rooms: ['lobby'] };

function b64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

async function hs256(claims: JWTPayload, secret = SECRET, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header }).sign(new TextEncoder().encode(secret));
}

async function signed(claims: JWTPayload, alg: 'RS256' | 'ES256', key: CryptoKey | KeyObject, kid?: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, ...(kid ? { kid } : {}) }).sign(key);
}

function refusal(verdict: TokenVerdict): { failure: string; reason: string } | 'admitted' {
  return verdict.ok ? 'admitted' : { failure: verdict.failure, reason: verdict.reason };
}

function hsVerifier(config: Partial<AuthConfig> = {}): JwtVerifier {
  return new JwtVerifier({ ...HS_CONFIG, ...config }, { now: () => NOW_MS });
}

describe(JwtVerifier.name, () => {
  describe('with HS256 and a shared secret', () => {
    it('admits a good token as its sub, for the rooms it lists', async () => {
      const verdict = await hsVerifier().verify(await hs256(GOOD_CLAIMS));

      expect(verdict.ok && [verdict.grant.user, verdict.grant.allows('lobby'), verdict.grant.allows('other')]).toEqual(['user-1', true, false]);
    });

    it('refuses alg none', async () => {
      const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(GOOD_CLAIMS)}.`;

      expect(refusal(await hsVerifier().verify(token))).toMatchObject({ failure: 'invalid' });
    });

    it('refuses alg none even with a signature part', async () => {
      const token = `${b64url({ alg: 'none' })}.${b64url(GOOD_CLAIMS)}.${b64url('sig')}`;

      expect(refusal(await hsVerifier().verify(token))).toMatchObject({ failure: 'invalid' });
    });

    it('refuses an RS256 token: only the pinned algorithm is accepted', async () => {
      const { privateKey } = await generateKeyPair('RS256');

      expect(refusal(await hsVerifier().verify(await signed(GOOD_CLAIMS, 'RS256', privateKey)))).toEqual({
        failure: 'invalid',
        reason: 'token algorithm not allowed',
      });
    });

    it('refuses an HS384 token signed with the right secret', async () => {
      const token = await new SignJWT(GOOD_CLAIMS).setProtectedHeader({ alg: 'HS384' }).sign(new TextEncoder().encode(SECRET));

      expect(refusal(await hsVerifier().verify(token))).toEqual({ failure: 'invalid', reason: 'token algorithm not allowed' });
    });

    it('refuses a token signed with another secret', async () => {
      const token = await hs256(GOOD_CLAIMS, 'another-secret-of-at-least-32-bytes!!');

      expect(refusal(await hsVerifier().verify(token))).toEqual({ failure: 'invalid', reason: 'token signature invalid' });
    });

    it('refuses a token whose claims were changed after signing', async () => {
      const [header, , signature] = (await hs256(GOOD_CLAIMS)).split('.');
      const forged = `${header}.${b64url({ ...GOOD_CLAIMS, rooms: '*' })}.${signature}`;

      expect(refusal(await hsVerifier().verify(forged))).toEqual({ failure: 'invalid', reason: 'token signature invalid' });
    });

    it('refuses an expired token', async () => {
      const token = await hs256({ ...GOOD_CLAIMS, exp: NOW - 60 });

      expect(refusal(await hsVerifier().verify(token))).toEqual({ failure: 'invalid', reason: 'token expired' });
    });

    it('admits a token expired by less than the clock tolerance', async () => {
      expect((await hsVerifier().verify(await hs256({ ...GOOD_CLAIMS, exp: NOW - 3 }))).ok).toBe(true);
    });

    it('refuses a token without exp', async () => {
      const { exp: _exp, ...claims } = GOOD_CLAIMS;

      expect(refusal(await hsVerifier().verify(await hs256(claims)))).toEqual({ failure: 'invalid', reason: 'token exp missing' });
    });

    it('refuses a token that is not yet valid', async () => {
      const token = await hs256({ ...GOOD_CLAIMS, nbf: NOW + 60 });

      expect(refusal(await hsVerifier().verify(token))).toEqual({ failure: 'invalid', reason: 'token nbf invalid' });
    });

    it('admits a token whose nbf is within the clock tolerance', async () => {
      expect((await hsVerifier().verify(await hs256({ ...GOOD_CLAIMS, nbf: NOW + 3 }))).ok).toBe(true);
    });

    it('refuses a token from another issuer', async () => {
      const token = await hs256({ ...GOOD_CLAIMS, iss: 'https://evil.example.test' });

      expect(refusal(await hsVerifier().verify(token))).toEqual({ failure: 'invalid', reason: 'token iss invalid' });
    });

    it('refuses a token without iss when an issuer is configured', async () => {
      const { iss: _iss, ...claims } = GOOD_CLAIMS;

      expect(refusal(await hsVerifier().verify(await hs256(claims)))).toEqual({ failure: 'invalid', reason: 'token iss missing' });
    });

    it('refuses a token for another audience', async () => {
      const token = await hs256({ ...GOOD_CLAIMS, aud: 'billing' });

      expect(refusal(await hsVerifier().verify(token))).toEqual({ failure: 'invalid', reason: 'token aud invalid' });
    });

    it('admits a token listing the audience among others', async () => {
      expect((await hsVerifier().verify(await hs256({ ...GOOD_CLAIMS, aud: ['billing', AUDIENCE] }))).ok).toBe(true);
    });

    it('does not check iss or aud when none is configured', async () => {
      const token = await hs256({ ...GOOD_CLAIMS, iss: 'anyone', aud: 'anything' });

      expect((await hsVerifier({ issuer: undefined, audience: undefined }).verify(token)).ok).toBe(true);
    });

    it.each([['not-a-jwt'], ['a.b.c'], [''], ['..'], [`${b64url({ alg: 'HS256' })}.${b64url(GOOD_CLAIMS)}`]])('refuses the malformed token %j', async (token) => {
      expect(refusal(await hsVerifier().verify(token))).toEqual({ failure: 'invalid', reason: 'token malformed' });
    });

    it('refuses a correctly signed token whose claims are not JSON', async () => {
      const signingInput = `${b64url({ alg: 'HS256' })}.${b64url('not json')}`;
      const token = `${signingInput}.${createHmac('sha256', SECRET).update(signingInput).digest('base64url')}`;

      expect(refusal(await hsVerifier().verify(token))).toEqual({ failure: 'invalid', reason: 'token malformed' });
    });

    it('refuses a token without sub', async () => {
      const { sub: _sub, ...claims } = GOOD_CLAIMS;

      expect(refusal(await hsVerifier().verify(await hs256(claims)))).toEqual({ failure: 'invalid', reason: 'token has no sub' });
    });
  });

  describe('the rooms claim', () => {
    async function grantFor(rooms: unknown, config: Partial<AuthConfig> = {}) {
      const claims: JWTPayload = { ...GOOD_CLAIMS, rooms: undefined, [config.roomsClaim ?? 'rooms']: rooms };
      return hsVerifier(config).verify(await hs256(claims));
    }

    it('"*" allows any room', async () => {
      const verdict = await grantFor('*');

      expect(verdict.ok && verdict.grant.allows('anything')).toBe(true);
    });

    it('an array containing "*" allows any room', async () => {
      const verdict = await grantFor(['lobby', '*']);

      expect(verdict.ok && verdict.grant.allows('anything')).toBe(true);
    });

    it('a missing claim allows no room', async () => {
      const verdict = await grantFor(undefined);

      expect(verdict.ok && verdict.grant.allows('lobby')).toBe(false);
    });

    it('an empty array allows no room', async () => {
      const verdict = await grantFor([]);

      expect(verdict.ok && verdict.grant.allows('lobby')).toBe(false);
    });

    it.each([['lobby'], [42], [{ lobby: true }], [['lobby', 7]]])('the claim %j makes the token invalid', async (rooms) => {
      expect(refusal(await grantFor(rooms))).toEqual({ failure: 'invalid', reason: 'token rooms claim must be "*" or an array of room ids' });
    });

    it('is read from the configured claim name', async () => {
      const verdict = await grantFor(['team-a'], { roomsClaim: 'https://example.test/rooms' });

      expect(verdict.ok && [verdict.grant.allows('team-a'), verdict.grant.allows('lobby')]).toEqual([true, false]);
    });
  });

  describe('with RS256/ES256 keys from a JWKS', () => {
    interface Served {
      jwks: { keys: JWK[] };
      fetches: number;
      fail: boolean;
    }

    async function keyPair(alg: 'RS256' | 'ES256', kid: string) {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
      return { publicKey, privateKey, jwk };
    }

    function jwksVerifier(served: Served, config: Partial<AuthConfig> = {}): JwtVerifier {
      const fetchJwks: FetchImplementation = async () => {
        served.fetches++;
        if (served.fail) return new Response('down', { status: 503 });
        return new Response(JSON.stringify(served.jwks), { status: 200, headers: { 'content-type': 'application/json' } });
      };
      const jwksConfig: AuthConfig = { ...BASE, jwksUrl: 'https://keys.example.test/jwks.json', algorithms: ['RS256', 'ES256'], ...config };
      return new JwtVerifier(jwksConfig, { now: () => NOW_MS, fetchJwks });
    }

    it('admits RS256 and ES256 tokens, fetching the key set once', async () => {
      const rsa = await keyPair('RS256', 'rsa-1');
      const ec = await keyPair('ES256', 'ec-1');
      const served: Served = { jwks: { keys: [rsa.jwk, ec.jwk] }, fetches: 0, fail: false };
      const verifier = jwksVerifier(served);

      const verdicts = [];
      for (let i = 0; i < 5; i++) {
        verdicts.push((await verifier.verify(await signed(GOOD_CLAIMS, 'RS256', rsa.privateKey, 'rsa-1'))).ok);
        verdicts.push((await verifier.verify(await signed(GOOD_CLAIMS, 'ES256', ec.privateKey, 'ec-1'))).ok);
      }

      expect({ verdicts, fetches: served.fetches }).toEqual({ verdicts: Array(10).fill(true), fetches: 1 });
    });

    it('fetches the key set ahead of the first peer on warm-up', async () => {
      const rsa = await keyPair('RS256', 'rsa-1');
      const served: Served = { jwks: { keys: [rsa.jwk] }, fetches: 0, fail: false };
      const verifier = jwksVerifier(served);
      await verifier.warmUp();
      await verifier.verify(await signed(GOOD_CLAIMS, 'RS256', rsa.privateKey, 'rsa-1'));

      expect(served.fetches).toBe(1);
    });

    it.each([
      ['the public key as PEM', async (publicKey: CryptoKey) => exportSPKI(publicKey)],
      ['the public JWK as JSON', async (publicKey: CryptoKey) => JSON.stringify(await exportJWK(publicKey))],
    ])('refuses an HS256 token signed with %s as the HMAC secret', async (_, secretOf) => {
      const rsa = await keyPair('RS256', 'rsa-1');
      const served: Served = { jwks: { keys: [rsa.jwk] }, fetches: 0, fail: false };
      const token = await hs256(GOOD_CLAIMS, await secretOf(rsa.publicKey), { kid: 'rsa-1' });

      expect(refusal(await jwksVerifier(served).verify(token))).toEqual({ failure: 'invalid', reason: 'token algorithm not allowed' });
    });

    it('refuses alg none', async () => {
      const rsa = await keyPair('RS256', 'rsa-1');
      const served: Served = { jwks: { keys: [rsa.jwk] }, fetches: 0, fail: false };
      const token = `${b64url({ alg: 'none', kid: 'rsa-1' })}.${b64url(GOOD_CLAIMS)}.`;

      expect(refusal(await jwksVerifier(served).verify(token))).toMatchObject({ failure: 'invalid' });
    });

    it('refuses an algorithm the deployment did not pin', async () => {
      const ec = await keyPair('ES256', 'ec-1');
      const served: Served = { jwks: { keys: [ec.jwk] }, fetches: 0, fail: false };
      const token = await signed(GOOD_CLAIMS, 'ES256', ec.privateKey, 'ec-1');

      expect(refusal(await jwksVerifier(served, { algorithms: ['RS256'] }).verify(token))).toEqual({
        failure: 'invalid',
        reason: 'token algorithm not allowed',
      });
    });

    it('refuses a token signed by a key that is not in the set', async () => {
      const rsa = await keyPair('RS256', 'rsa-1');
      const impostor = await keyPair('RS256', 'rsa-1');
      const served: Served = { jwks: { keys: [rsa.jwk] }, fetches: 0, fail: false };
      const token = await signed(GOOD_CLAIMS, 'RS256', impostor.privateKey, 'rsa-1');

      expect(refusal(await jwksVerifier(served).verify(token))).toEqual({ failure: 'invalid', reason: 'token signature invalid' });
    });

    it('refuses an unknown kid, then picks up the rotated key set after the cooldown', async () => {
      const old = await keyPair('RS256', 'old');
      const next = await keyPair('RS256', 'next');
      const served: Served = { jwks: { keys: [old.jwk] }, fetches: 0, fail: false };
      const verifier = jwksVerifier(served, { jwksCooldownMs: 0 });
      const nextToken = await signed(GOOD_CLAIMS, 'RS256', next.privateKey, 'next');
      const before = refusal(await verifier.verify(nextToken));
      served.jwks = { keys: [next.jwk] };
      const after = refusal(await verifier.verify(nextToken));

      expect({ before, after }).toEqual({ before: { failure: 'invalid', reason: 'no key matches the token' }, after: 'admitted' });
    });

    it('does not fetch again for unknown kids within the cooldown', async () => {
      const known = await keyPair('RS256', 'known');
      const stranger = await keyPair('RS256', 'stranger');
      const served: Served = { jwks: { keys: [known.jwk] }, fetches: 0, fail: false };
      const verifier = jwksVerifier(served, { jwksCooldownMs: 60_000 });
      await verifier.verify(await signed(GOOD_CLAIMS, 'RS256', known.privateKey, 'known'));
      for (let i = 0; i < 5; i++) await verifier.verify(await signed(GOOD_CLAIMS, 'RS256', stranger.privateKey, `stranger-${i}`));

      expect(served.fetches).toBe(1);
    });

    it('answers unavailable, not invalid, when the key set cannot be fetched', async () => {
      const rsa = await keyPair('RS256', 'rsa-1');
      const served: Served = { jwks: { keys: [rsa.jwk] }, fetches: 0, fail: true };
      const token = await signed(GOOD_CLAIMS, 'RS256', rsa.privateKey, 'rsa-1');

      expect(refusal(await jwksVerifier(served).verify(token))).toEqual({ failure: 'unavailable', reason: 'token keys unavailable' });
    });

    it('checks claims on public-key tokens too', async () => {
      const ec = await keyPair('ES256', 'ec-1');
      const served: Served = { jwks: { keys: [ec.jwk] }, fetches: 0, fail: false };
      const token = await signed({ ...GOOD_CLAIMS, exp: NOW - 600 }, 'ES256', ec.privateKey, 'ec-1');

      expect(refusal(await jwksVerifier(served).verify(token))).toEqual({ failure: 'invalid', reason: 'token expired' });
    });
  });

  it('cannot be built without a secret or a JWKS URL', () => {
    expect(() => new JwtVerifier(BASE)).toThrow('JWT_SECRET or JWT_JWKS_URL');
  });
});

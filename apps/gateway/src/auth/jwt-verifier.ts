import { createRemoteJWKSet, customFetch, errors, FetchImplementation, jwtVerify, JWTVerifyOptions, RemoteJWKSet } from 'jose';
import type { AuthConfig } from './auth-config';
import { PeerGrant } from './peer-grant';

export type TokenVerdict =
  | { readonly ok: true; readonly grant: PeerGrant }
  /** `invalid`: the token's fault (4401); `unavailable`: the keys could not be fetched (1013, try again). */
  | { readonly ok: false; readonly failure: 'invalid' | 'unavailable'; readonly reason: string };

export interface JwtVerifierOptions {
  /** The clock `exp`/`nbf` are checked against; tests pass a fake one. */
  readonly now?: () => number;
  /** Replaces `fetch` for the JWKS, so tests need no HTTP server. */
  readonly fetchJwks?: FetchImplementation;
}

/** A JWKS that does not answer within this delays one admission, not the node. */
const JWKS_TIMEOUT_MS = 5_000;
/** Keys are refetched at most this often even when no unknown `kid` shows up, so a revoked key goes away. */
const JWKS_MAX_AGE_MS = 10 * 60_000;

/** Failures that are the token's own (its alg, signature, claims, shape, an unknown `kid`): 4401. */
const INVALID_TOKEN_CODES: Readonly<Record<string, string>> = {
  [errors.JWTExpired.code]: 'token expired',
  [errors.JWSSignatureVerificationFailed.code]: 'token signature invalid',
  [errors.JOSEAlgNotAllowed.code]: 'token algorithm not allowed',
  [errors.JOSENotSupported.code]: 'token algorithm not supported',
  [errors.JWSInvalid.code]: 'token malformed',
  [errors.JWTInvalid.code]: 'token malformed',
  [errors.JWKSNoMatchingKey.code]: 'no key matches the token',
  [errors.JWKSMultipleMatchingKeys.code]: 'token kid ambiguous',
};

/**
 * Verifies signaling tokens (PROTOCOL section 1): the algorithm list is pinned
 * by configuration, so neither `alg: none` nor an HS256 token signed with the
 * public key of an RS256/ES256 deployment gets through; `exp` is required,
 * `iss`/`aud` checked when configured. JWKS keys are fetched once, cached,
 * and fetched again for an unknown `kid` at most once per cooldown.
 */
export class JwtVerifier {
  private readonly key: Uint8Array | RemoteJWKSet;
  private readonly verifyOptions: JWTVerifyOptions;
  private readonly now: () => number;

  constructor(
    private readonly config: AuthConfig,
    options: JwtVerifierOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    if (config.secret !== undefined) {
      this.key = new TextEncoder().encode(config.secret);
    } else if (config.jwksUrl !== undefined) {
      this.key = createRemoteJWKSet(new URL(config.jwksUrl), {
        cooldownDuration: config.jwksCooldownMs,
        cacheMaxAge: JWKS_MAX_AGE_MS,
        timeoutDuration: JWKS_TIMEOUT_MS,
        ...(options.fetchJwks ? { [customFetch]: options.fetchJwks } : {}),
      });
    } else {
      throw new Error('token authentication needs JWT_SECRET or JWT_JWKS_URL');
    }
    this.verifyOptions = {
      algorithms: [...config.algorithms],
      requiredClaims: ['exp'],
      clockTolerance: config.clockToleranceSeconds,
      ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
      ...(config.audience !== undefined ? { audience: config.audience } : {}),
    };
  }

  /** Fetches the JWKS ahead of the first peer; a failure is retried by the first verification. */
  async warmUp(): Promise<void> {
    if (typeof this.key === 'function') await this.key.reload();
  }

  async verify(token: string): Promise<TokenVerdict> {
    let claims: Record<string, unknown>;
    try {
      const options = { ...this.verifyOptions, currentDate: new Date(this.now()) };
      const result = typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options);
      claims = result.payload;
    } catch (error) {
      return this.failure(error);
    }
    const grant = PeerGrant.fromClaims(claims, this.config.roomsClaim);
    if (!(grant instanceof PeerGrant)) return { ok: false, failure: 'invalid', reason: grant.invalid };
    return { ok: true, grant };
  }

  private failure(error: unknown): TokenVerdict {
    if (error instanceof errors.JWTClaimValidationFailed) {
      return { ok: false, failure: 'invalid', reason: `token ${error.claim} ${error.reason === 'missing' ? 'missing' : 'invalid'}` };
    }
    const code = error instanceof errors.JOSEError ? error.code : undefined;
    const reason = code !== undefined ? INVALID_TOKEN_CODES[code] : undefined;
    if (reason !== undefined) return { ok: false, failure: 'invalid', reason };
    // a JWKS that is down, slow or not a key set: not the token's fault
    return { ok: false, failure: 'unavailable', reason: 'token keys unavailable' };
  }
}

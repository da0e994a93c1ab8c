/** The signature algorithms a deployment may pin: HS256 with a shared secret, RS256/ES256 from a JWKS. */
export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** Token authentication settings (PROTOCOL section 1, `token`; docs/configuration.md, `JWT_*`). */
export interface AuthConfig {
  readonly enabled: boolean;
  /** HS256 shared secret; exactly one of `secret` and `jwksUrl` is set when enabled. */
  readonly secret: string | undefined;
  readonly jwksUrl: string | undefined;
  /** Least time between two JWKS fetches caused by an unknown `kid`. */
  readonly jwksCooldownMs: number;
  /** The only `alg` values accepted; never `none`, never a mix of HMAC and public-key algorithms. */
  readonly algorithms: readonly JwtAlgorithm[];
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  readonly roomsClaim: string;
  readonly clockToleranceSeconds: number;
}

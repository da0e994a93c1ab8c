export type PresentedToken =
  | { readonly ok: true; readonly token: string | undefined }
  | { readonly ok: false; readonly reason: string };

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i;

/**
 * The token a peer presented (PROTOCOL section 1): the `token` query parameter or
 * `Authorization: Bearer`. Both at once must agree: two different tokens leave it
 * unclear whose rights apply. An `Authorization` header of another scheme is refused.
 */
export function presentedToken(queryToken: string | undefined, authorization: string | undefined): PresentedToken {
  let headerToken: string | undefined;
  if (authorization !== undefined) {
    const match = BEARER.exec(authorization);
    if (!match) return { ok: false, reason: 'authorization header must be Bearer' };
    headerToken = match[1];
  }
  if (queryToken !== undefined && headerToken !== undefined && queryToken !== headerToken) {
    return { ok: false, reason: 'token given twice, differently' };
  }
  return { ok: true, token: headerToken ?? queryToken };
}

import { presentedToken } from './presented-token';

describe(presentedToken.name, () => {
  it('takes the query parameter', () => {
    expect(presentedToken('a.b.c', undefined)).toEqual({ ok: true, token: 'a.b.c' });
  });

  it('takes the Bearer header', () => {
    expect(presentedToken(undefined, 'Bearer a.b.c')).toEqual({ ok: true, token: 'a.b.c' });
  });

  it('reads the scheme in any case', () => {
    expect(presentedToken(undefined, 'bearer a.b.c')).toEqual({ ok: true, token: 'a.b.c' });
  });

  it('has no token when neither is given', () => {
    expect(presentedToken(undefined, undefined)).toEqual({ ok: true, token: undefined });
  });

  it('accepts the same token in both places', () => {
    expect(presentedToken('a.b.c', 'Bearer a.b.c')).toEqual({ ok: true, token: 'a.b.c' });
  });

  it('refuses two different tokens', () => {
    expect(presentedToken('a.b.c', 'Bearer x.y.z')).toEqual({ ok: false, reason: 'token given twice, differently' });
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer a b', 'a.b.c'])('refuses the authorization header %j', (header) => {
    expect(presentedToken(undefined, header)).toEqual({ ok: false, reason: 'authorization header must be Bearer' });
  });
});

import { requestLogFields } from './request-log-fields';

describe(requestLogFields.name, () => {
  it('keeps method and path', () => {
    expect(requestLogFields({ method: 'GET', url: '/api/rooms' })).toEqual({ method: 'GET', path: '/api/rooms' });
  });

  it('drops the query string with its token and resume token', () => {
    const fields = requestLogFields({ method: 'GET', url: '/ws?room=a&token=eyJhbGciOi.payload.sig&resume=r-123' });

    expect(fields).toEqual({ method: 'GET', path: '/ws' });
    expect(JSON.stringify(fields)).not.toMatch(/token|eyJ|r-123/);
  });

  it('drops a fragment', () => {
    expect(requestLogFields({ method: 'GET', url: '/ws#token=x' }).path).toBe('/ws');
  });

  it('copes with a request without a URL', () => {
    expect(requestLogFields({})).toEqual({ method: undefined, path: '' });
  });
});

import { normalizeRequestTarget } from './request-target';

const ok = (raw: string) => {
  const r = normalizeRequestTarget(raw);
  if (!r.ok) throw new Error(`${raw} rejected: ${r.reason}`);
  return r;
};
const rejected = (raw: string) => normalizeRequestTarget(raw).ok === false;

describe('normalizeRequestTarget', () => {
  it('keeps ordinary paths and the query byte for byte', () => {
    expect(ok('/api/orders/42?b=2&a=1&a=%2F&x')).toEqual({ ok: true, path: '/api/orders/42', query: 'b=2&a=1&a=%2F&x', matchPath: '/api/orders/42' });
    expect(ok('/')).toEqual({ ok: true, path: '/', query: '', matchPath: '/' });
  });

  it('decodes unreserved characters so /%61dmin is /admin', () => {
    expect(ok('/%61dmin').path).toBe('/admin');
    expect(ok('/a%7Eb%2Dc').path).toBe('/a~b-c');
  });

  it('keeps reserved encodings, normalising hex case', () => {
    expect(ok('/files/a%20b%3a').path).toBe('/files/a%20b%3A');
  });

  it('merges repeated slashes so //admin is /admin', () => {
    expect(ok('//admin').path).toBe('/admin');
    expect(ok('/api//orders///1').path).toBe('/api/orders/1');
  });

  it('matches trailing-slash variants as the same route', () => {
    expect(ok('/admin/').matchPath).toBe('/admin');
    expect(ok('/admin/').path).toBe('/admin/');
  });

  it.each([
    '/api/catalog/../orders',
    '/api/./orders',
    '/api/%2e%2e/orders',
    '/api/%2E./x',
    '/..',
    '/api/orders%2f1',
    '/api/orders%2F..%2Fadmin',
    '/api/orders%5cadmin',
    '/api\\orders',
    '/a%00b',
    '/a%zz',
    '/a%2',
    'http://evil.example/x',
    '*',
    '',
    '/a b',
    '/a\u00e9',
    '/a#frag',
    '/public/..;/admin',
    '/public/..;x=1/admin',
    '/public/.;/admin',
    '/public/%2e%2e;/admin',
  ])('rejects %j', (raw) => {
    expect(rejected(raw)).toBe(true);
  });

  it('refuses path parameters by default: servlet containers match /admin;x/y as /admin/y', () => {
    expect(rejected('/admin;x=1/users')).toBe(true);
    expect(normalizeRequestTarget('/a;v=1/b')).toEqual({ ok: false, reason: 'path parameter (;) in path' });
    expect(ok('/a/..%3B/b').path).toBe('/a/..%3B/b'); // an encoded ; is data, not a parameter
    expect(ok('/a/b.c..d/.well-known').path).toBe('/a/b.c..d/.well-known');
  });

  it('forwards path parameters when allowed, but never a dot segment that carries them', () => {
    const allowed = (raw: string) => normalizeRequestTarget(raw, true);
    expect(allowed('/a;v=1/b')).toMatchObject({ ok: true, path: '/a;v=1/b' });
    expect(allowed('/a/...;x/b')).toMatchObject({ ok: true, path: '/a/...;x/b' });
    for (const raw of ['/public/..;/admin', '/public/..;x=1/admin', '/public/.;/admin', '/public/%2e%2e;/admin']) {
      expect(allowed(raw)).toEqual({ ok: false, reason: 'dot segment in path' });
    }
  });

  it('is case-sensitive (routes decide, /API is not /api)', () => {
    expect(ok('/API/Orders').path).toBe('/API/Orders');
  });
});

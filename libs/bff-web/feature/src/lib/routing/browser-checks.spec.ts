import { browserVerdict, normalizeOrigin } from './browser-checks';

const allowed = new Set(['http://localhost:8080', 'http://localhost:3001']);
const verdict = (kind: Parameters<typeof browserVerdict>[0], method: string, headers: Record<string, string>) => browserVerdict(kind, { method, headers }, allowed);

describe('browserVerdict', () => {
  it('api: X-CSRF: 1 always; an allowed Origin for state-changing methods', () => {
    expect(verdict('api', 'GET', { 'x-csrf': '1' })).toEqual({ ok: true });
    expect(verdict('api', 'GET', {})).toMatchObject({ ok: false, reason: expect.stringContaining('x-csrf') });
    expect(verdict('api', 'GET', { 'x-csrf': 'true' })).toMatchObject({ ok: false });
    expect(verdict('api', 'POST', { 'x-csrf': '1', origin: 'http://localhost:3001' })).toEqual({ ok: true });
    expect(verdict('api', 'POST', { 'x-csrf': '1', origin: 'HTTP://LOCALHOST:8080' })).toEqual({ ok: true });
    expect(verdict('api', 'POST', { 'x-csrf': '1' })).toMatchObject({ ok: false, reason: expect.stringContaining('Origin header is missing') });
    expect(verdict('api', 'POST', { 'x-csrf': '1', origin: 'http://evil.example' })).toMatchObject({ ok: false, reason: expect.stringContaining('not allowed') });
    expect(verdict('api', 'DELETE', { 'x-csrf': '1', origin: 'null' })).toMatchObject({ ok: false });
    expect(verdict('api', 'PUT', { 'x-csrf': '1', origin: 'http://localhost:3001.evil.example' })).toMatchObject({ ok: false });
    expect(verdict('api', 'GET', { 'x-csrf': '1', 'sec-fetch-site': 'cross-site' })).toMatchObject({ ok: false, reason: 'cross-site request' });
    expect(verdict('api', 'GET', { 'x-csrf': '1', 'sec-fetch-site': 'same-origin' })).toEqual({ ok: true });
  });

  it('form: an allowed Origin (a form cannot send X-CSRF)', () => {
    expect(verdict('form', 'POST', { origin: 'http://localhost:8080' })).toEqual({ ok: true });
    expect(verdict('form', 'POST', { origin: 'http://127.0.0.1:8080' })).toMatchObject({ ok: false });
    expect(verdict('form', 'POST', {})).toMatchObject({ ok: false });
  });

  it('session-info needs X-CSRF; pages are GET-only navigations; back-channel has no browser checks', () => {
    expect(verdict('session-info', 'GET', {})).toMatchObject({ ok: false });
    expect(verdict('session-info', 'GET', { 'x-csrf': '1' })).toEqual({ ok: true });
    expect(verdict('page', 'GET', { 'sec-fetch-site': 'cross-site' })).toEqual({ ok: true });
    expect(verdict('page', 'POST', { origin: 'http://localhost:3001' })).toMatchObject({ ok: false });
    expect(verdict('back-channel', 'POST', {})).toEqual({ ok: true });
  });
});

describe('normalizeOrigin', () => {
  it('accepts bare origins only', () => {
    expect(normalizeOrigin('http://LOCALHOST:3001')).toBe('http://localhost:3001');
    expect(normalizeOrigin('https://shop.example:443')).toBe('https://shop.example');
    expect(normalizeOrigin('https://shop.example/')).toBe('https://shop.example');
    expect(normalizeOrigin('https://shop.example/path')).toBeUndefined();
    expect(normalizeOrigin('https://user@shop.example')).toBeUndefined();
    expect(normalizeOrigin('null')).toBeUndefined();
    expect(normalizeOrigin('ftp://shop.example')).toBeUndefined();
  });
});

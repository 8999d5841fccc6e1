import { compileHeaderRules, DEFAULT_IDENTITY_PATTERNS, sanitizeRequestHeaders, sanitizeResponseHeaders, type SanitizedRequest } from './header-hygiene';

const rules = compileHeaderRules(DEFAULT_IDENTITY_PATTERNS);
const sanitize = (raw: string[]) => sanitizeRequestHeaders(raw, rules);
const names = (r: SanitizedRequest) => r.headers.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());

describe('sanitizeRequestHeaders', () => {
  it('drops hop-by-hop headers and everything Connection names', () => {
    const r = sanitize([
      'Host', 'a', 'Connection', 'keep-alive, X-Secret-Hop', 'Keep-Alive', 'timeout=5', 'X-Secret-Hop', '1', 'TE', 'trailers',
      'Transfer-Encoding', 'chunked', 'Upgrade', 'h2c', 'Proxy-Authorization', 'Basic x', 'Accept', 'application/json', 'Expect', '100-continue',
    ]) as SanitizedRequest;
    expect(r.ok).toBe(true);
    expect(names(r)).toEqual(['accept']);
    expect(r.host).toBe('a');
  });

  it('strips identity headers a client could forge and the headers the gateway sets', () => {
    const r = sanitize([
      'X-User-Id', 'admin', 'x-tenant-id', 'globex', 'X-Client-Id', 'x', 'X-Authenticated-User', 'root', 'X-Forwarded-Host', 'evil',
      'Forwarded', 'for=1.2.3.4', 'X-Real-IP', '1.2.3.4', 'X-Userish', 'kept', 'Cookie', 'a=b',
    ]) as SanitizedRequest;
    expect(names(r)).toEqual(['x-userish', 'cookie']);
  });

  it('captures correlation headers for validation instead of forwarding them blindly', () => {
    const r = sanitize(['X-Request-Id', 'abc', 'traceparent', 'tp', 'X-Forwarded-For', '1.1.1.1', 'x-forwarded-for', '2.2.2.2']) as SanitizedRequest;
    expect(r.headers).toEqual([]);
    expect(r).toMatchObject({ requestId: 'abc', traceparent: 'tp', forwardedFor: '1.1.1.1, 2.2.2.2' });
  });

  it.each([
    [['X_User', 'a'], /underscore/],
    [['Host', 'a', 'host', 'b'], /Host/],
    [['Authorization', 'Bearer a', 'authorization', 'Bearer b'], /Authorization/],
    [['Content-Length', '1', 'content-length', '1'], /Content-Length/],
    [['Host', 'evil.example/reset?x='], /invalid Host/],
    [['Host', 'a@evil.example'], /invalid Host/],
    [['Host', 'a"b'], /invalid Host/],
    [['Host', 'a\\b'], /invalid Host/],
    [['Host', 'a b'], /invalid Host/],
    [['Host', ''], /invalid Host/],
    [['Host', 'a:99999x'], /invalid Host/],
    [['Host', 'a.example,evil.example'], /invalid Host/],
    [[':authority', 'a/b'], /invalid Host/],
    [['Transfer-Encoding', 'gzip, chunked'], /Transfer-Encoding/],
    [['Transfer-Encoding', 'chunked, identity'], /Transfer-Encoding/],
    [['Transfer-Encoding', 'chunked', 'transfer-encoding', 'chunked'], /Transfer-Encoding/],
  ])('rejects ambiguous requests %j', (raw, reason) => {
    const r = sanitize(raw);
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.reason).toMatch(reason);
  });

  it('accepts host names, IP literals, underscores and ports in Host', () => {
    for (const host of ['gw.example', 'gw.example:8443', '127.0.0.1:8080', '[::1]:8080', '[2001:db8::1]', 'svc_name.internal', 'localhost', 'xn--bcher-kva.example']) {
      expect(sanitize(['Host', host]).ok).toBe(true);
    }
  });

  it('accepts chunked (any case) and does not forward it: the body is re-framed upstream', () => {
    for (const value of ['chunked', 'Chunked']) {
      const r = sanitize(['Transfer-Encoding', value, 'accept', '*/*']) as SanitizedRequest;
      expect(r.ok).toBe(true);
      expect(r.headers).toEqual(['accept', '*/*']);
    }
  });

  it('turns HTTP/2 pseudo-headers into Host and drops the rest', () => {
    const r = sanitize([':method', 'GET', ':path', '/x', ':scheme', 'https', ':authority', 'gw.example', 'accept', '*/*']) as SanitizedRequest;
    expect(r.host).toBe('gw.example');
    expect(r.headers).toEqual(['accept', '*/*']);
    expect(sanitize([':authority', 'a', 'host', 'b']).ok).toBe(false);
  });

  it('honours custom strip patterns', () => {
    const custom = compileHeaderRules(['x-internal-*', 'x-debug']);
    const r = sanitizeRequestHeaders(['X-Internal-Flag', '1', 'X-Debug', '1', 'X-User-Name', 'kept-if-not-configured', 'X-User-Id', 'gateway-set-so-always-stripped'], custom) as SanitizedRequest;
    expect(r.headers).toEqual(['X-User-Name', 'kept-if-not-configured']);
  });
});

describe('sanitizeResponseHeaders', () => {
  it('drops hop-by-hop and Connection-named response headers', () => {
    expect(
      sanitizeResponseHeaders({ connection: 'x-hop', 'x-hop': '1', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', 'content-type': 'a', 'set-cookie': ['a', 'b'] }),
    ).toEqual({ 'content-type': 'a', 'set-cookie': ['a', 'b'] });
  });

  it('drops Keep-Alive and Connection whatever their case, and names listed with keep-alive', () => {
    expect(sanitizeResponseHeaders({ connection: 'Keep-Alive', 'keep-alive': 'timeout=5', 'content-type': 'a' })).toEqual({ 'content-type': 'a' });
    expect(sanitizeResponseHeaders({ connection: 'keep-alive, x-hop', 'x-hop': '1', 'content-type': 'a' })).toEqual({ 'content-type': 'a' });
  });
});

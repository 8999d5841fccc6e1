import { headerNameMatcher } from './header-patterns';
import { parsePathPattern, upstreamPathProblem } from './path-pattern';

describe('parsePathPattern', () => {
  it.each([
    ['/', { kind: 'exact', path: '/' }],
    ['/**', { kind: 'prefix', prefix: '' }],
    ['/api/catalog/**', { kind: 'prefix', prefix: '/api/catalog' }],
    ['/api/dashboard', { kind: 'exact', path: '/api/dashboard' }],
    ["/v1/items:search/@me~x!$&'()+,;=", { kind: 'exact', path: "/v1/items:search/@me~x!$&'()+,;=" }],
  ])('accepts %s', (pattern, value) => {
    expect(parsePathPattern(pattern)).toEqual({ ok: true, value });
  });

  it.each(['api', '/a//b', '/a/./b', '/a/../b', '/a/%2e%2e', '/a\\b', '/a b', '/a?x=1', '/a#f', '/a/**/b', '/a*', '/a/', '/a/{id}'])('refuses %s', (pattern) => {
    expect(parsePathPattern(pattern).ok).toBe(false);
  });
});

describe('upstreamPathProblem (rewrites, parts, probes: never another host)', () => {
  it.each(['http://evil.example/x', 'HTTPS://evil', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'mailto:x'])('refuses %s as a host outside the cluster', (path) => {
    expect(upstreamPathProblem(path, { allowQuery: true })).toContain('outside the cluster');
  });

  it.each([
    ['customers', 'must start with "/"'],
    ['/a/../admin', 'must not contain "." or ".." segments'],
    ['/a/%2E%2e/admin', 'must not contain "." or ".." segments'],
    ['/a%2Fb', 'must not contain encoded slashes or backslashes'],
    ['/a%5cb', 'must not contain encoded slashes or backslashes'],
    ['/a b', 'must not contain whitespace'],
    ['/a#x', 'must not contain a fragment ("#")'],
  ])('refuses %s', (path, message) => {
    expect(upstreamPathProblem(path, { allowQuery: true })).toBe(message);
  });

  it('allows a query only where asked', () => {
    expect(upstreamPathProblem('/orders?limit=5', { allowQuery: true })).toBeUndefined();
    expect(upstreamPathProblem('/orders?limit=5', { allowQuery: false })).toContain('query');
  });
});

describe('headerNameMatcher', () => {
  it('matches exact names and * patterns, case-insensitively by lower-casing the patterns', () => {
    const m = headerNameMatcher(['X-User-*', 'server', '*-internal', 'a.b']);
    expect(['x-user-id', 'x-user-', 'server', 'x-internal', 'a.b', 'axb', 'x-users', 'servers'].map((h) => m.matches(h))).toEqual([true, true, true, true, true, false, false, false]);
    expect(headerNameMatcher([]).matches('anything')).toBe(false);
  });
});

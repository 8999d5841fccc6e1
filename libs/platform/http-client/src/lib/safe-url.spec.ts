import { SafeUrl } from './safe-url';
import { UnsafeRequestError } from './upstream-error';

describe('SafeUrl', () => {
  const root = new SafeUrl('orders', 'http://127.0.0.1:4102');
  const based = new SafeUrl('orders', 'http://127.0.0.1:4102/api/v1/');

  it('fills path parameters, encoding each one, under the base path', () => {
    expect(root.build('/orders/:id', { id: 'a b&c' }, undefined)).toBe('/orders/a%20b%26c');
    expect(based.build('/orders/:id/lines/:line', { id: 42, line: 'x' }, undefined)).toBe('/api/v1/orders/42/lines/x');
    expect(based.build('/', undefined, undefined)).toBe('/api/v1/');
    expect(root.build('/items:batchGet', undefined, undefined)).toBe('/items:batchGet');
  });

  it('encodes the query, repeating array keys and skipping undefined values', () => {
    expect(root.build('/orders', undefined, { limit: 5, tag: ['a b', 'c&d'], cursor: undefined, open: true })).toBe(
      '/orders?limit=5&tag=a%20b&tag=c%26d&open=true',
    );
  });

  it.each([
    ['../admin', 'slash'],
    ['..', 'dot segment'],
    ['.', 'dot segment'],
    ['..%2fadmin', 'dot segment'],
    ['%2e%2e', 'dot segment'],
    ['%2E%2E%2Fadmin', 'slash'],
    ['%2e', 'dot segment'],
    ['a%2eb', 'encoded dot'],
    ['a/b', 'slash'],
    ['a\\b', 'slash'],
    ['a%5cb', 'slash'],
    ['a%5Cb', 'slash'],
    ['a%2fb', 'slash'],
    ['x\r\nHost: evil', 'control'],
    ['x%0d%0a', 'control'],
    ['', 'empty'],
  ])('refuses the parameter %j', (id, reason) => {
    expect(() => based.build('/orders/:id', { id }, undefined)).toThrow(UnsafeRequestError);
    expect(() => based.build('/orders/:id', { id }, undefined)).toThrow(new RegExp(reason));
  });

  it('accepts parameters that merely look odd, encoded', () => {
    expect(root.build('/orders/:id', { id: '50%' }, undefined)).toBe('/orders/50%25');
    expect(root.build('/orders/:id', { id: 'a.b' }, undefined)).toBe('/orders/a.b');
    expect(root.build('/orders/:id', { id: '?x=1#frag' }, undefined)).toBe('/orders/%3Fx%3D1%23frag');
  });

  it.each([
    ['https://evil.example/x'],
    ['//evil.example/x'],
    ['evil.example/x'],
    ['/orders/../admin'],
    ['/orders/./x'],
    ['/orders/%2e%2e/admin'],
    ['/orders/..%2fadmin'],
    ['/orders\\..\\admin'],
    ['/orders/%5c'],
    ['/orders?x=1'],
    ['/orders#x'],
    ['/orders/\u0000'],
    ['/orders/ x'],
    ['/@evil.example'.replace('/', '')],
  ])('refuses the path %j', (path) => {
    expect(() => based.build(path, undefined, undefined)).toThrow(UnsafeRequestError);
  });

  it('refuses missing, unknown and repeated parameters', () => {
    expect(() => root.build('/orders/:id', undefined, undefined)).toThrow(/missing/);
    expect(() => root.build('/orders/:id', { id: 1, other: 2 }, undefined)).toThrow(/does not name/);
    expect(() => root.build('/orders/:id/:id', { id: 1 }, undefined)).toThrow(/twice/);
    expect(() => root.build('/orders/:id', { id: Number.NaN }, undefined)).toThrow(/finite/);
  });

  it('keeps a template that is a prefix trick out of the base path', () => {
    // "/api/v1" + "/../v2" would normalise to "/api/v2"; "/api/v1x" is not under "/api/v1/".
    expect(() => based.build('/../v2/x', undefined, undefined)).toThrow(UnsafeRequestError);
    expect(based.build('/x', undefined, undefined).startsWith('/api/v1/')).toBe(true);
  });
});

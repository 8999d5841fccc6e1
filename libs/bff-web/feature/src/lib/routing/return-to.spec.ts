import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it.each([
    ['/web/', '/web/'],
    ['/web/orders/ord_0001', '/web/orders/ord_0001'],
    ['/web/orders?tab=recent#top', '/web/orders?tab=recent#top'],
    ['/web', '/web'],
  ])('keeps same-origin SPA paths: %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    '//evil.example',
    '//evil.example/web/',
    'https://evil.example',
    'https://evil.example/web/',
    'http:evil.example',
    'javascript:alert(1)',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '%2F%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%2f%2fevil.example',
    '/%252F%252Fevil.example',
    '/%5Cevil.example',
    '/%5cevil.example',
    '/web/%0d%0aSet-Cookie:x=1',
    '/web/../evil',
    '/web/%2e%2e/evil',
    '/web/..%2f..%2fevil',
    '/elsewhere',
    '/web/api/home',
    '/web/login',
    '/web/logout',
    '/web/callback',
    '/web/%E0%A4%A',
    'web/',
    '',
    ' /web/',
    undefined,
    ['/web/', '/web/x'],
    '/web/' + 'a'.repeat(600),
  ])('falls back to /web/ for %p', (input) => {
    expect(safeReturnTo(input)).toBe('/web/');
  });
});

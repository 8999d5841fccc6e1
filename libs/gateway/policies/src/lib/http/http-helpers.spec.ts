import { negotiateEncoding } from './accept-encoding';
import { deltaSeconds, parseCacheControl } from './cache-control';
import { isNotModified, weakEtagMatch, weakenEtag } from './conditional';
import { flatRemove, flatSet, mergeVary, splitList } from './header-values';

describe('header values', () => {
  it('splits lists without breaking quoted commas', () => {
    expect(splitList('"a,b", W/"c" ,  d')).toEqual(['"a,b"', 'W/"c"', 'd']);
    expect(splitList(undefined)).toEqual([]);
  });

  it('merges Vary case-insensitively and lets * absorb the rest', () => {
    expect(mergeVary('Accept-Language', 'accept-language, Origin')).toBe('Accept-Language, Origin');
    expect(mergeVary(undefined, 'Origin')).toBe('Origin');
    expect(mergeVary(['Origin', 'Accept'], 'Accept-Encoding')).toBe('Origin, Accept, Accept-Encoding');
    expect(mergeVary('*', 'Origin')).toBe('*');
  });

  it('edits flat header lists whatever the case of the names', () => {
    const list = ['If-None-Match', '"a"', 'accept', '*/*', 'if-none-match', '"b"'];
    flatRemove(list, 'if-none-match');
    expect(list).toEqual(['accept', '*/*']);
    flatSet(list, 'accept', 'application/json');
    expect(list).toEqual(['accept', 'application/json']);
  });
});

describe('Cache-Control', () => {
  it('parses directives, quoted values and repeated names (first wins)', () => {
    const cc = parseCacheControl('public, max-age=60, S-MAXAGE="120", no-cache="set-cookie", max-age=5');
    expect(deltaSeconds(cc, 'max-age')).toBe(60);
    expect(deltaSeconds(cc, 's-maxage')).toBe(120);
    expect(cc.get('public')).toBe(true);
    expect(cc.get('no-cache')).toBe('set-cookie');
  });

  it('treats an invalid delta as 0 (stale) and an absent one as undefined', () => {
    expect(deltaSeconds(parseCacheControl('max-age=abc'), 'max-age')).toBe(0);
    expect(deltaSeconds(parseCacheControl('max-age'), 'max-age')).toBe(0);
    expect(deltaSeconds(parseCacheControl('no-store'), 'max-age')).toBeUndefined();
  });
});

describe('Accept-Encoding negotiation', () => {
  const offer = ['br', 'gzip'] as const;
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['identity', undefined],
    ['x-gzip', 'gzip'],
    ['GZIP ; Q=1', 'gzip'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateEncoding(header, offer)).toBe(expected);
  });

  it('does not encode for clients that send no Accept-Encoding', () => {
    expect(negotiateEncoding(undefined, offer)).toBeUndefined();
  });

  it('follows the policy order on equal q-values', () => {
    expect(negotiateEncoding('br, gzip', ['gzip', 'br'])).toBe('gzip');
  });
});

describe('conditional requests', () => {
  it('compares entity tags weakly and weakens tags', () => {
    expect(weakEtagMatch('W/"x"', '"x"')).toBe(true);
    expect(weakEtagMatch('"x"', '"y"')).toBe(false);
    expect(weakenEtag('"x"')).toBe('W/"x"');
    expect(weakenEtag('W/"x"')).toBe('W/"x"');
  });

  it('answers 304 on If-None-Match, which wins over If-Modified-Since', () => {
    const response = { etag: '"v2"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' };
    expect(isNotModified({ 'if-none-match': '"v1", "v2"' }, response)).toBe(true);
    expect(isNotModified({ 'if-none-match': '*' }, response)).toBe(true);
    expect(isNotModified({ 'if-none-match': '"v1"', 'if-modified-since': 'Tue, 02 Jan 2024 00:00:00 GMT' }, response)).toBe(false);
    expect(isNotModified({ 'if-modified-since': 'Tue, 02 Jan 2024 00:00:00 GMT' }, response)).toBe(true);
    expect(isNotModified({ 'if-modified-since': 'Sun, 31 Dec 2023 00:00:00 GMT' }, response)).toBe(false);
    expect(isNotModified({ 'if-modified-since': 'garbage' }, response)).toBe(false);
    expect(isNotModified({}, response)).toBe(false);
  });
});

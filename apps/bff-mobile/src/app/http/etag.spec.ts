import { chooseCoding, encode } from './content-coding';
import { codedEtag, ifNoneMatchHits, strongEtag } from './etag';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

describe('ETags', () => {
  const etag = strongEtag('{"a":1}');

  it('are strong, stable and differ with the bytes', () => {
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(strongEtag('{"a":1}')).toBe(etag);
    expect(strongEtag('{"a":2}')).not.toBe(etag);
    expect(codedEtag(etag, 'br')).toBe(`${etag.slice(0, -1)}-br"`);
  });

  it('match If-None-Match by weak comparison, in lists, with *, and across our content codings', () => {
    expect(ifNoneMatchHits(etag, etag)).toBe(true);
    expect(ifNoneMatchHits(`W/${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHits(`"x", ${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHits('*', etag)).toBe(true);
    expect(ifNoneMatchHits(codedEtag(etag, 'gzip'), etag)).toBe(true);
    expect(ifNoneMatchHits('"x"', etag)).toBe(false);
    expect(ifNoneMatchHits(undefined, etag)).toBe(false);
  });
});

describe('content coding', () => {
  it('prefers br, then gzip, honouring q=0 and *', () => {
    expect(chooseCoding('gzip, deflate, br')).toBe('br');
    expect(chooseCoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseCoding('gzip;q=0.5')).toBe('gzip');
    expect(chooseCoding('*')).toBe('br');
    expect(chooseCoding('*;q=0, gzip;q=0')).toBeUndefined();
    expect(chooseCoding('identity')).toBeUndefined();
    expect(chooseCoding(undefined)).toBeUndefined();
  });

  it('encodes so that the app decodes the same JSON', () => {
    const json = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ id: `prod_${i}`, name: 'Compact Kettle' })) });
    expect(brotliDecompressSync(encode(json, 'br')).toString()).toBe(json);
    expect(gunzipSync(encode(json, 'gzip')).toString()).toBe(json);
  });
});

import { ifNoneMatchHits, strongEtag } from './etag';

describe('ETags', () => {
  it('are strong, quoted and change with the bytes', () => {
    const a = strongEtag('{"a":1}');
    expect(a).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(strongEtag('{"a":1}')).toBe(a);
    expect(strongEtag('{"a":2}')).not.toBe(a);
  });

  it('match If-None-Match lists, weak forms and *', () => {
    const etag = strongEtag('x');
    expect(ifNoneMatchHits(undefined, etag)).toBe(false);
    expect(ifNoneMatchHits(etag, etag)).toBe(true);
    expect(ifNoneMatchHits(`"other", W/${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHits('*', etag)).toBe(true);
    expect(ifNoneMatchHits('"other"', etag)).toBe(false);
  });
});

import { v1DeprecationHeaders } from './v1-deprecation';

describe('v1DeprecationHeaders', () => {
  it('says nothing until a sunset is configured', () => {
    expect(v1DeprecationHeaders(undefined, new Date())).toBeUndefined();
  });

  it('sends Deprecation as an sf-date, Sunset as an HTTP-date, and links to the successor', () => {
    const headers = v1DeprecationHeaders(new Date('2027-06-30T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    expect(headers).toEqual({
      deprecation: '@1796083200',
      sunset: 'Wed, 30 Jun 2027 00:00:00 GMT',
      link: '</partner/v2>; rel="successor-version", </partner/openapi.json>; rel="deprecation"; type="application/json"',
    });
    // Without a deprecation date: deprecated since v2 was published.
    expect(v1DeprecationHeaders(new Date('2027-06-30T00:00:00Z'), undefined)?.deprecation).toBe(`@${Date.parse('2026-11-29T00:00:00Z') / 1000}`);
  });
});

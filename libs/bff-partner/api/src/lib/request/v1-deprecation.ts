import { PARTNER_OPENAPI_PATH, PARTNER_V2_PUBLISHED_AT } from '@edge/contracts-partner';

/**
 * Headers announcing the end of v1 once a sunset is configured: `Deprecation` (RFC 9745, an
 * sf-date), `Sunset` (RFC 8594, an HTTP-date) and links to the successor and the document.
 * Undefined when v1 has no sunset (it is then simply supported).
 */
export function v1DeprecationHeaders(sunset: Date | undefined, deprecatedAt: Date | undefined): Record<string, string> | undefined {
  if (sunset === undefined) return undefined;
  const since = deprecatedAt ?? new Date(PARTNER_V2_PUBLISHED_AT);
  return {
    deprecation: `@${Math.floor(since.getTime() / 1000)}`,
    sunset: sunset.toUTCString(),
    link: `</partner/v2>; rel="successor-version", <${PARTNER_OPENAPI_PATH}>; rel="deprecation"; type="application/json"`,
  };
}

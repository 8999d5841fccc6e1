import { SetMetadata } from '@nestjs/common';

/**
 * Every bff-web route declares what kind of caller it serves, and the WebRouteGuard applies
 * the matching browser defences (a route without a declaration is refused):
 *
 * - `page` — top-level browser navigations (login, callback, the SPA's files): GET only,
 *   anonymous; no CSRF header can be expected from a navigation.
 * - `api` — the SPA's XHR/fetch calls: `X-CSRF: 1` always, an allowed `Origin` for
 *   state-changing methods, and a live session (401 problem, never a redirect).
 * - `session-info` — like `api` (`X-CSRF: 1`) but answers signed-out callers too.
 * - `form` — browser form posts (logout): an allowed `Origin` (the SameSite=Strict cookie
 *   is the second line); a form cannot add headers.
 * - `back-channel` — server-to-server from the IdP (back-channel logout): no browser
 *   checks apply; the request is authenticated by the signed logout token it carries.
 */
export type WebRouteKind = 'page' | 'api' | 'session-info' | 'form' | 'back-channel';

export const WEB_ROUTE_METADATA = 'edge:web:route';

export const WebRoute = (kind: WebRouteKind) => SetMetadata(WEB_ROUTE_METADATA, kind);

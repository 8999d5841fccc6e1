/**
 * The cookies bff-web sets. Both are `__Host-` cookies: the browser accepts them only with
 * `Secure`, `Path=/` and no `Domain`, so no sibling subdomain or plain-HTTP page can plant
 * or overwrite them (Chromium treats http://localhost as a secure context, so this works in
 * development too).
 *
 * - the session cookie: an opaque random id, `HttpOnly`, `SameSite=Strict`, no Max-Age
 *   (it ends with the browser session; the server-side session has its own lifetimes).
 *   Strict is enough because the SPA's HTML needs no cookie: the first call that does is
 *   the SPA's own same-origin fetch.
 * - the login-flow cookie: state, nonce, PKCE verifier and returnTo, sealed. It must come
 *   back on the IdP's redirect to /web/callback, a cross-site top-level navigation in
 *   production, which SameSite=Strict cookies do not accompany: hence `SameSite=Lax`
 *   (sent on top-level GET navigations only), 10 minutes, and it is cleared at the callback.
 */
export const SESSION_COOKIE = '__Host-web-session';
export const LOGIN_COOKIE = '__Host-web-login';

export interface CookieOptions {
  sameSite: 'Strict' | 'Lax';
  /** Seconds; omitted → a browser-session cookie. */
  maxAge?: number;
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'Secure', 'HttpOnly', `SameSite=${options.sameSite}`];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  return parts.join('; ');
}

/** A Set-Cookie that deletes the cookie (same attributes, empty value, Max-Age=0). */
export function clearCookie(name: string, sameSite: 'Strict' | 'Lax' = 'Strict'): string {
  return serializeCookie(name, '', { sameSite, maxAge: 0 });
}

export function sessionCookie(sessionId: string): string {
  return serializeCookie(SESSION_COOKIE, sessionId, { sameSite: 'Strict' });
}

export function loginCookie(sealed: string, maxAgeSeconds: number): string {
  return serializeCookie(LOGIN_COOKIE, sealed, { sameSite: 'Lax', maxAge: maxAgeSeconds });
}

/** The first value of a cookie in a Cookie header (values here are base64url: no quoting or decoding). */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return undefined;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A small client of dev-idp (apps/dev-idp) for tests and for `npm run token`: it signs a
 * user in the way a browser would (authorization request → login form → redirects → code →
 * token, with PKCE S256), and speaks the token endpoint's other grants.
 *
 * Constraints, because `node tools/token/token.ts` runs this file directly on Node 24 with
 * type stripping: only `fetch` and `node:` builtins, and only erasable TypeScript (no enums,
 * namespaces or parameter properties).
 */
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** A token endpoint response (RFC 6749 §5.1, RFC 8693 §2.2.1). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  issued_token_type?: string;
  [member: string]: unknown;
}

/** An OAuth error answer (or an unexpected response) from dev-idp. */
export class DevIdpError extends Error {
  status: number;
  error: string | undefined;
  errorDescription: string | undefined;

  constructor(message: string, status: number, error?: string, errorDescription?: string) {
    super(message);
    this.name = 'DevIdpError';
    this.status = status;
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

export interface ClientAuth {
  issuer: string;
  clientId: string;
  /** Confidential clients authenticate with client_secret_basic; public ones send client_id. */
  clientSecret?: string;
}

export interface AuthorizeOptions extends ClientAuth {
  user: string;
  password: string;
  redirectUri: string;
  scope: string;
  /** Resource indicator (RFC 8707), e.g. urn:orders-api; dev-idp defaults to urn:edge-api. */
  resource?: string;
  /** Extra authorization request parameters (prompt, nonce...). */
  extraParams?: Record<string, string>;
  /** Cookies to carry (dev-idp's session): pass the same jar to sign in again or to log out. */
  jar?: CookieJar;
}

export interface AuthorizationResult {
  code: string;
  codeVerifier: string;
  redirectUri: string;
  /** The full URL dev-idp redirected the browser to. */
  callbackUrl: string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  [member: string]: unknown;
}

const discoveries = new Map<string, Promise<Discovery>>();

const base64url = (bytes: Buffer): string => bytes.toString('base64url');
const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** The issuer's OpenID configuration (cached per issuer; a failed fetch is not cached). */
export function discover(issuer: string): Promise<Discovery> {
  const key = trimSlash(issuer);
  let found = discoveries.get(key);
  if (!found) {
    found = (async () => {
      const res = await fetch(`${key}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new DevIdpError(`discovery at ${key} answered ${res.status}`, res.status);
      return (await res.json()) as Discovery;
    })();
    found.catch(() => discoveries.delete(key));
    discoveries.set(key, found);
  }
  return found;
}

// --- cookies: just enough of RFC 6265 for one origin (name, value, path, expiry) ---------

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

export interface CookieJar {
  cookies: Map<string, StoredCookie>;
}

export function createCookieJar(): CookieJar {
  return { cookies: new Map() };
}

/** Stores the Set-Cookie headers of a response; expired or emptied cookies are removed. */
export function storeCookies(jar: CookieJar, setCookieHeaders: string[], requestUrl: URL): void {
  for (const header of setCookieHeaders) {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const defaultPath = requestUrl.pathname.slice(0, requestUrl.pathname.lastIndexOf('/')) || '/';
    let path = defaultPath;
    let expired = false;
    for (const attribute of attributes) {
      const [rawKey = '', ...rest] = attribute.split('=');
      const key = rawKey.trim().toLowerCase();
      const attrValue = rest.join('=').trim();
      if (key === 'path' && attrValue.startsWith('/')) path = attrValue;
      if (key === 'max-age' && Number(attrValue) <= 0) expired = true;
      if (key === 'expires' && Date.parse(attrValue) <= Date.now()) expired = true;
    }
    const id = `${name}\n${path}`;
    if (expired || value === '') jar.cookies.delete(id);
    else jar.cookies.set(id, { name, value, path });
  }
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (cookiePath === requestPath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}

/** The Cookie header for a request to `url` (undefined when no cookie applies). */
export function cookieHeader(jar: CookieJar, url: URL): string | undefined {
  const pairs: string[] = [];
  for (const cookie of jar.cookies.values()) {
    if (pathMatches(cookie.path, url.pathname)) pairs.push(`${cookie.name}=${cookie.value}`);
  }
  return pairs.length > 0 ? pairs.join('; ') : undefined;
}

// --- authorization code flow ---------------------------------------------------------

const MAX_STEPS = 12;

function decodeHtmlAttribute(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The action of the login form (inputs `login` and `password`), if the page is one. */
function loginFormAction(html: string): string | undefined {
  if (!/name="login"/.test(html) || !/name="password"/.test(html)) return undefined;
  const match = /<form[^>]*\saction="([^"]*)"/i.exec(html);
  return match ? decodeHtmlAttribute(match[1] ?? '') : undefined;
}

/** The readable text of an HTML page (its body, tags and scripts removed), for error messages. */
function pageText(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  const text = body
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return decodeHtmlAttribute(text).slice(0, 400);
}

function sameEndpoint(candidate: URL, redirectUri: URL): boolean {
  return candidate.origin === redirectUri.origin && candidate.pathname === redirectUri.pathname;
}

/**
 * Signs `user` in at dev-idp like a browser would and returns the authorization code and
 * its PKCE verifier (not yet redeemed). Throws DevIdpError when the login is refused or
 * dev-idp redirects back with an error.
 */
export async function authorize(options: AuthorizeOptions): Promise<AuthorizationResult> {
  const { authorization_endpoint: authorizationEndpoint } = await discover(options.issuer);
  const issuerOrigin = new URL(authorizationEndpoint).origin;
  const redirectUri = new URL(options.redirectUri);
  const codeVerifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope: options.scope,
    state,
    code_challenge: base64url(createHash('sha256').update(codeVerifier).digest()),
    code_challenge_method: 'S256',
  });
  if (options.scope.split(' ').includes('openid')) params.set('nonce', base64url(randomBytes(16)));
  if (options.resource) params.set('resource', options.resource);
  for (const [key, value] of Object.entries(options.extraParams ?? {})) params.set(key, value);

  const jar = options.jar ?? createCookieJar();
  let url = new URL(`${authorizationEndpoint}?${params.toString()}`);
  let method = 'GET';
  let body: string | undefined;
  let submittedLogin = false;

  for (let step = 0; step < MAX_STEPS; step++) {
    if (url.origin !== issuerOrigin) throw new DevIdpError(`dev-idp redirected to an unexpected place: ${url.origin}${url.pathname}`, 0);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookies = cookieHeader(jar, url);
    if (cookies) headers['cookie'] = cookies;
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    storeCookies(jar, res.headers.getSetCookie(), url);
    method = 'GET';
    body = undefined;

    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.arrayBuffer();
      const next = new URL(location, url);
      if (sameEndpoint(next, redirectUri)) return fromCallback(next, state, codeVerifier, options.redirectUri);
      url = next;
      continue;
    }

    const html = await res.text();
    const action = res.status === 200 ? loginFormAction(html) : undefined;
    if (!action) throw new DevIdpError(`dev-idp answered ${res.status} at ${url.pathname}: ${pageText(html)}`, res.status);
    if (submittedLogin) throw new DevIdpError(`login refused for user ${options.user}`, res.status, 'access_denied', 'wrong username or password');
    submittedLogin = true;
    url = new URL(action, url);
    method = 'POST';
    body = new URLSearchParams({ login: options.user, password: options.password }).toString();
  }
  throw new DevIdpError(`no callback after ${MAX_STEPS} steps`, 0);
}

function fromCallback(callback: URL, state: string, codeVerifier: string, redirectUri: string): AuthorizationResult {
  const error = callback.searchParams.get('error');
  if (error) {
    const description = callback.searchParams.get('error_description') ?? undefined;
    throw new DevIdpError(`authorization failed: ${error}${description ? ` (${description})` : ''}`, 0, error, description);
  }
  if (callback.searchParams.get('state') !== state) throw new DevIdpError('the callback carries a different state', 0);
  const code = callback.searchParams.get('code');
  if (!code) throw new DevIdpError('the callback carries no code', 0);
  return { code, codeVerifier, redirectUri, callbackUrl: callback.href };
}

// --- token endpoint ------------------------------------------------------------------

/** POSTs a grant to the token endpoint, authenticating the client; throws DevIdpError on an error answer. */
export async function tokenRequest(auth: ClientAuth, grant: Record<string, string | undefined>): Promise<TokenResponse> {
  const { token_endpoint: tokenEndpoint } = await discover(auth.issuer);
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(grant)) if (value !== undefined) form.set(key, value);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (auth.clientSecret !== undefined) {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before the Basic encoding.
    const user = encodeURIComponent(auth.clientId);
    const secret = encodeURIComponent(auth.clientSecret);
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
  } else {
    form.set('client_id', auth.clientId);
  }
  const res = await fetch(tokenEndpoint, { method: 'POST', headers, body: form.toString() });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  if (!res.ok || typeof json['access_token'] !== 'string') {
    const error = typeof json['error'] === 'string' ? json['error'] : undefined;
    const description = typeof json['error_description'] === 'string' ? json['error_description'] : undefined;
    const what = error ? `${error}${description ? ` (${description})` : ''}` : text.slice(0, 200);
    throw new DevIdpError(`token request (${grant['grant_type']}) failed with ${res.status}: ${what}`, res.status, error, description);
  }
  return json as unknown as TokenResponse;
}

/** Redeems an authorization code (with its PKCE verifier). */
export function redeemCode(auth: ClientAuth, result: AuthorizationResult, resource?: string): Promise<TokenResponse> {
  return tokenRequest(auth, {
    grant_type: 'authorization_code',
    code: result.code,
    redirect_uri: result.redirectUri,
    code_verifier: result.codeVerifier,
    resource,
  });
}

/** Authorization code + PKCE from start to finish: the token response for `user`. */
export async function loginWithPkce(options: AuthorizeOptions): Promise<TokenResponse> {
  const result = await authorize(options);
  return redeemCode(options, result, options.resource);
}

export interface ClientCredentialsOptions extends ClientAuth {
  clientSecret: string;
  scope?: string;
  resource?: string;
}

export function clientCredentials(options: ClientCredentialsOptions): Promise<TokenResponse> {
  return tokenRequest(options, { grant_type: 'client_credentials', scope: options.scope, resource: options.resource });
}

export interface RefreshOptions extends ClientAuth {
  refreshToken: string;
  scope?: string;
  resource?: string;
}

export function refreshToken(options: RefreshOptions): Promise<TokenResponse> {
  return tokenRequest(options, {
    grant_type: 'refresh_token',
    refresh_token: options.refreshToken,
    scope: options.scope,
    resource: options.resource,
  });
}

export interface ExchangeOptions extends ClientAuth {
  subjectToken: string;
  subjectTokenType?: string;
  /** Target by resource indicator (urn:orders-api) or by audience (orders-api). */
  resource?: string;
  audience?: string;
  scope?: string;
}

/** OAuth 2.0 Token Exchange (RFC 8693): an edge-api token for a token of one domain API. */
export function exchangeToken(options: ExchangeOptions): Promise<TokenResponse> {
  return tokenRequest(options, {
    grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
    subject_token: options.subjectToken,
    subject_token_type: options.subjectTokenType ?? ACCESS_TOKEN_TYPE,
    resource: options.resource,
    audience: options.audience,
    scope: options.scope,
  });
}

import { cookieHeader, createCookieJar, storeCookies, type CookieJar } from './dev-idp-client';

export const SESSION_COOKIE = '__Host-web-session';
export const LOGIN_COOKIE = '__Host-web-login';

export interface WebResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * A scripted browser for bff-web without a browser: one cookie jar for everything on
 * localhost (cookies ignore ports, as in a real browser), manual redirects, every
 * Set-Cookie recorded as sent, and the secrets it handled (cookie values, codes) collected
 * for log checks.
 */
export class WebClient {
  readonly jar: CookieJar = createCookieJar();
  readonly setCookies: string[] = [];
  readonly secrets = new Set<string>();

  constructor(readonly origin: string) {}

  cookie(name: string): string | undefined {
    for (const c of this.jar.cookies.values()) if (c.name === name) return c.value;
    return undefined;
  }

  setCookie(name: string, value: string): void {
    this.jar.cookies.set(`${name}\n/`, { name, value, path: '/' });
  }

  async request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<WebResponse> {
    const target = new URL(url, this.origin);
    const headers: Record<string, string> = { ...init.headers };
    const cookies = cookieHeader(this.jar, target);
    if (cookies) headers['cookie'] = cookies;
    const res = await fetch(target, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual' });
    const set = res.headers.getSetCookie();
    if (target.origin === new URL(this.origin).origin) this.setCookies.push(...set);
    storeCookies(this.jar, set, target);
    for (const c of this.jar.cookies.values()) this.secrets.add(c.value);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
  }

  /** An SPA call: same-origin fetch with the anti-forgery header (and Origin on writes, as browsers send). */
  api(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<WebResponse> {
    const method = init.method ?? 'GET';
    const headers: Record<string, string> = { 'x-csrf': '1', accept: 'application/json', ...(method !== 'GET' ? { origin: this.origin } : {}), ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    return this.request(path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  }

  /**
   * Signs in through bff-web: /web/login → dev-idp's login form → /web/callback. Returns
   * where the callback finally sent the browser.
   */
  async login(user: string, returnTo?: string): Promise<{ location: string; callback: WebResponse }> {
    let url = `${this.origin}/web/login${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`;
    let method = 'GET';
    let body: string | undefined;
    for (let step = 0; step < 15; step++) {
      const isCallback = url.startsWith(`${this.origin}/web/callback`);
      if (isCallback) {
        const code = new URL(url).searchParams.get('code');
        if (code) this.secrets.add(code);
      }
      const res = await this.request(url, { method, body, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} });
      method = 'GET';
      body = undefined;
      const location = res.headers.get('location');
      if (isCallback) {
        if (!location) throw new Error(`callback answered ${res.status}: ${res.text.slice(0, 300)}`);
        return { location, callback: res };
      }
      if (location) {
        url = new URL(location, url).href;
        continue;
      }
      const action = /<form[^>]*action="([^"]+)"/.exec(res.text)?.[1];
      if (res.status !== 200 || !action || !res.text.includes('name="password"')) throw new Error(`unexpected answer ${res.status} at ${url}: ${res.text.slice(0, 300)}`);
      url = new URL(action.replace(/&amp;/g, '&'), url).href;
      method = 'POST';
      body = new URLSearchParams({ login: user, password: 'password' }).toString();
    }
    throw new Error('sign-in did not come back to the callback');
  }
}

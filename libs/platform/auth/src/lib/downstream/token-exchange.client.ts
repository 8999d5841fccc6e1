import { request } from 'undici';
import type { ResolvedExchangeClient } from './downstream-token.options';

export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface ExchangedToken {
  accessToken: string;
  /** Lifetime in ms as the IdP announced it (`expires_in`). */
  lifetimeMs: number;
}

/**
 * Why an exchange failed, in the terms callers branch on:
 * - `unavailable`: the IdP could not be reached or answered 5xx/429/garbage (→ 503);
 * - `subject-rejected`: the IdP refused the caller's token (`invalid_grant`/`invalid_request`, → 401);
 * - `scope-refused`: the caller's token does not hold the scopes asked for (`invalid_scope`, → 403);
 * - `misconfigured`: the IdP refused *us* (client, grant or target; → 502, and an operator must act).
 * The message names the OAuth error code at most, never a token.
 */
export type ExchangeFailureKind = 'unavailable' | 'subject-rejected' | 'scope-refused' | 'misconfigured';

export class TokenExchangeError extends Error {
  constructor(
    readonly kind: ExchangeFailureKind,
    message: string,
    readonly oauthError?: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'TokenExchangeError';
  }
}

export interface ExchangeRequest {
  subjectToken: string;
  resource: string | undefined;
  audience: string | undefined;
  scopes: readonly string[];
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      body.destroy();
      throw new Error(`token endpoint answer larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const SUBJECT_ERRORS = new Set(['invalid_request', 'invalid_grant']);

/** Maps an OAuth error answer (RFC 6749 §5.2) to what it means for the caller. */
function failureOf(status: number, body: Record<string, unknown> | undefined): TokenExchangeError {
  const code = typeof body?.['error'] === 'string' && /^[a-z_]{1,64}$/.test(body['error']) ? body['error'] : undefined;
  if (status >= 500 || status === 429 || code === undefined) {
    return new TokenExchangeError('unavailable', `token endpoint answered ${status}${code ? ` ${code}` : ''}`, code);
  }
  if (SUBJECT_ERRORS.has(code)) return new TokenExchangeError('subject-rejected', `token endpoint refused the subject token: ${code}`, code);
  if (code === 'invalid_scope') return new TokenExchangeError('scope-refused', 'token endpoint refused the requested scopes: invalid_scope', code);
  return new TokenExchangeError('misconfigured', `token endpoint refused this client's exchange: ${code} (${status})`, code);
}

/**
 * One confidential client at one IdP: RFC 8693 token exchange with client_secret_basic.
 * The token endpoint comes from configuration or from the issuer's discovery document
 * (fetched once, single-flight; a failed discovery is retried by the next exchange).
 */
export class TokenExchangeClient {
  private endpoint: string | undefined;
  private discovering: Promise<string> | undefined;
  private readonly authorization: string;

  constructor(private readonly settings: ResolvedExchangeClient) {
    this.endpoint = settings.tokenEndpoint;
    // RFC 6749 §2.3.1: form-urlencode id and secret before base64.
    const id = encodeURIComponent(settings.clientId);
    const secret = encodeURIComponent(settings.clientSecret);
    this.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  }

  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }

  /** Runs one exchange bounded by `signal` (the caller supplies the timeout). */
  async exchange(input: ExchangeRequest, signal: AbortSignal): Promise<ExchangedToken> {
    const endpoint = await this.tokenEndpoint(signal);
    const form = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: input.subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
    });
    if (input.resource !== undefined) form.set('resource', input.resource);
    if (input.audience !== undefined) form.set('audience', input.audience);
    if (input.scopes.length > 0) form.set('scope', input.scopes.join(' '));
    let status: number;
    let text: string;
    try {
      const res = await request(endpoint, {
        method: 'POST',
        signal,
        headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
      status = res.statusCode;
      text = await readBounded(res.body as AsyncIterable<Buffer> & { destroy(): void });
    } catch (cause) {
      throw new TokenExchangeError('unavailable', signal.aborted ? `token endpoint did not answer within ${this.settings.timeoutMs}ms` : 'token endpoint unreachable', undefined, { cause: safeCause(cause) });
    }
    const body = parseJson(text);
    if (status !== 200) throw failureOf(status, body);
    const accessToken = body?.['access_token'];
    const expiresIn = body?.['expires_in'];
    const tokenType = body?.['token_type'];
    if (typeof accessToken !== 'string' || accessToken.length === 0 || (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer')) {
      throw new TokenExchangeError('unavailable', 'token endpoint answered 200 without a bearer access_token');
    }
    // Without expires_in the token is not cached beyond this request's single flight.
    const lifetimeMs = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 0;
    return { accessToken, lifetimeMs };
  }

  /** Resolves the token endpoint ahead of the first exchange (discovery), so that one does not pay for it. */
  async prepare(): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    try {
      await this.tokenEndpoint(controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private tokenEndpoint(signal: AbortSignal): Promise<string> {
    if (this.endpoint !== undefined) return Promise.resolve(this.endpoint);
    this.discovering ??= this.discover(signal).finally(() => (this.discovering = undefined));
    return this.discovering;
  }

  private async discover(signal: AbortSignal): Promise<string> {
    const issuer = (this.settings.issuer ?? '').replace(/\/+$/, '');
    let body: Record<string, unknown> | undefined;
    try {
      const res = await request(`${issuer}/.well-known/openid-configuration`, { method: 'GET', signal, headers: { accept: 'application/json' } });
      const text = await readBounded(res.body as AsyncIterable<Buffer> & { destroy(): void });
      if (res.statusCode !== 200) throw new Error(`discovery answered ${res.statusCode}`);
      body = parseJson(text);
    } catch (cause) {
      throw new TokenExchangeError('unavailable', 'issuer discovery failed', undefined, { cause: safeCause(cause) });
    }
    const endpoint = body?.['token_endpoint'];
    if (typeof endpoint !== 'string') throw new TokenExchangeError('unavailable', 'discovery document has no token_endpoint');
    this.endpoint = endpoint;
    return endpoint;
  }
}

/** Transport errors keep their name and message only (no request options that could carry the form). */
function safeCause(cause: unknown): Error {
  if (cause instanceof Error) {
    const safe = new Error(cause.message);
    safe.name = cause.name;
    return safe;
  }
  return new Error(String(cause));
}

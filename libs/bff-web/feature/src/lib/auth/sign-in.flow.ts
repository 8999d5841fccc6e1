import { Inject, Injectable, Logger } from '@nestjs/common';
import { newAuthorizationSecrets, OidcClient } from '@edge/bff-web-oidc';
import {
  LOGIN_COOKIE,
  SESSION_COOKIE,
  SessionCipher,
  clearCookie,
  loginCookie,
  openLoginState,
  readCookie,
  sealLoginState,
  sessionCookie,
} from '@edge/bff-web-session';
import { WEB_PATHS } from '@edge/contracts-web';
import { problem } from '@edge/problem-details';
import { BFF_WEB_OPTIONS, type BffWebOptions } from '../bff-web.options';
import { publicOrigin } from '../routing/public-origin';
import { safeReturnTo } from '../routing/return-to';
import { BrowserSessions, stateOrUnavailable } from '../session/browser-sessions';
import { signIns } from './web-auth.metrics';

type Headers = Record<string, string | string[] | undefined>;

/** What a flow step tells the controller to answer: a redirect and the cookies to set. */
export interface Redirect {
  location: string;
  cookies: string[];
}

const LOGIN_FLOW_SECONDS = 600;

function idpUnavailable(cause: unknown) {
  return problem('dependency-unavailable', { detail: 'The sign-in service cannot be reached just now; try again shortly.', headers: { 'retry-after': '5' }, cause });
}

/**
 * Sign-in and sign-out as browser redirects: the authorization code flow with PKCE, state
 * and nonce kept in a sealed login-flow cookie; a new session (new random id) at every
 * sign-in, replacing whatever session cookie came with the callback (no fixation);
 * logout ends the session, revokes the refresh token and passes through the IdP's
 * end-session endpoint.
 */
@Injectable()
export class SignInFlow {
  private readonly logger = new Logger('SignInFlow');

  constructor(
    private readonly oidc: OidcClient,
    private readonly cipher: SessionCipher,
    private readonly sessions: BrowserSessions,
    @Inject(BFF_WEB_OPTIONS) private readonly options: BffWebOptions,
  ) {}

  async start(headers: Headers, returnTo: unknown): Promise<Redirect> {
    const origin = publicOrigin(headers, this.options.allowedOrigins);
    const checks = { ...newAuthorizationSecrets(), redirectUri: `${origin}${WEB_PATHS.callback}` };
    let url: URL;
    try {
      url = await this.oidc.authorizationUrl(checks);
    } catch (error) {
      this.logger.warn({ event: 'login.idp-unavailable', err: error }, 'discovery failed');
      throw idpUnavailable(error);
    }
    const sealed = sealLoginState(this.cipher, { ...checks, returnTo: safeReturnTo(returnTo), expiresAt: Date.now() + LOGIN_FLOW_SECONDS * 1000 });
    return { location: url.href, cookies: [loginCookie(sealed, LOGIN_FLOW_SECONDS)] };
  }

  async finish(headers: Headers, query: URLSearchParams): Promise<Redirect> {
    const clearLogin = clearCookie(LOGIN_COOKIE, 'Lax');
    const login = openLoginState(this.cipher, readCookie(headers['cookie'], LOGIN_COOKIE));
    if (!login) {
      signIns.inc({ result: 'no-login-state' });
      throw problem('bad-request', { detail: 'This sign-in has expired or was started elsewhere; start again from the application.' });
    }
    const error = query.get('error');
    if (error === 'access_denied' && query.get('state') === login.state) {
      signIns.inc({ result: 'cancelled' });
      return { location: login.returnTo, cookies: [clearLogin] };
    }
    let signIn;
    try {
      signIn = await this.oidc.signIn(query, login);
    } catch (cause) {
      signIns.inc({ result: 'refused' });
      // Names and codes only: the error objects may quote the response, never tokens.
      this.logger.warn({ event: 'login.refused', error: (cause as Error).name, code: (cause as { code?: unknown }).code }, 'sign-in callback refused');
      if (cause instanceof TypeError) throw idpUnavailable(cause);
      throw problem('bad-request', { detail: 'The sign-in response could not be verified; start again from the application.', cause });
    }
    // Whatever session cookie the browser brought is never promoted: it is ended, and the
    // signed-in session gets a new id.
    const previous = await this.sessions.find(headers);
    if (previous) await stateOrUnavailable(() => this.sessions.store.end(previous.handle, 'replaced'));
    const created = await stateOrUnavailable(() => this.sessions.store.create(signIn.user, signIn.tokens));
    signIns.inc({ result: 'succeeded' });
    this.logger.log({ event: 'login.succeeded', sub: signIn.user.sub }, 'signed in');
    return { location: login.returnTo, cookies: [clearLogin, sessionCookie(created.id)] };
  }

  async logout(headers: Headers): Promise<Redirect> {
    const origin = publicOrigin(headers, this.options.allowedOrigins);
    const loaded = await this.sessions.find(headers);
    if (loaded) {
      await stateOrUnavailable(() => this.sessions.store.end(loaded.handle, 'logout'));
      const refreshToken = loaded.session.tokens.refreshToken;
      if (refreshToken) await this.revokeQuietly(refreshToken);
      this.logger.log({ event: 'logout', sub: loaded.session.user.sub }, 'signed out');
    }
    const cookies = [clearCookie(SESSION_COOKIE)];
    const home = `${origin}${WEB_PATHS.app}`;
    if (!loaded) return { location: WEB_PATHS.app, cookies };
    try {
      const endSession = await this.oidc.endSessionUrl(home);
      return { location: endSession?.href ?? WEB_PATHS.app, cookies };
    } catch (error) {
      // Our session is gone either way; the IdP's session ends by its own lifetime.
      this.logger.warn({ event: 'logout.idp-unavailable', err: error }, 'end-session URL unavailable');
      return { location: WEB_PATHS.app, cookies };
    }
  }

  /** Best effort within a short bound: the session is already ended here. */
  private async revokeQuietly(refreshToken: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.oidc.revoke(refreshToken),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('revocation timed out')), 2_000))),
      ]);
    } catch (error) {
      this.logger.warn({ event: 'logout.revocation-failed', error: (error as Error).message }, 'refresh token revocation failed');
    } finally {
      clearTimeout(timer);
    }
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { currentRequestContext, type RequestContext } from '@edge/observability';
import { problem } from '@edge/problem-details';
import { StateUnavailableError } from '@edge/state';
import {
  RefreshUnavailableError,
  SESSION_COOKIE,
  SessionEndedError,
  SessionStore,
  SessionTokenRefresher,
  clearCookie,
  readCookie,
  type LoadedSession,
} from '@edge/bff-web-session';
import { WEB_PATHS } from '@edge/contracts-web';
import { BFF_WEB_OPTIONS, type BffWebOptions } from '../bff-web.options';

interface Reply {
  header(name: string, value: string): unknown;
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * The request side of sessions: the cookie → the live session → fresh tokens → recorded
 * activity, and the caller's identity in the request context, where outbound clients find
 * the access token to exchange (non-enumerable: logs and JSON never see it).
 */
@Injectable()
export class BrowserSessions {
  private readonly logger = new Logger('BrowserSessions');

  constructor(
    readonly store: SessionStore,
    private readonly refresher: SessionTokenRefresher,
    @Inject(BFF_WEB_OPTIONS) private readonly options: BffWebOptions,
  ) {}

  /** The session named by the request's cookie, if live (no refresh, no activity recorded). */
  async find(headers: Headers): Promise<LoadedSession | undefined> {
    return stateOrUnavailable(() => this.store.load(readCookie(headers['cookie'], SESSION_COOKIE)));
  }

  /** Session info: the live session with its activity recorded, or undefined. */
  async touch(headers: Headers): Promise<LoadedSession | undefined> {
    const loaded = await this.find(headers);
    if (!loaded) return undefined;
    return { handle: loaded.handle, session: await stateOrUnavailable(() => this.store.touch(loaded)) };
  }

  /**
   * For api routes: a live session with usable tokens, or a 401 problem (and the stale
   * cookie cleared). Refreshes when due (single flight), records activity, sets the identity.
   */
  async authenticate(headers: Headers, reply: Reply): Promise<LoadedSession> {
    const hadCookie = readCookie(headers['cookie'], SESSION_COOKIE) !== undefined;
    const loaded = await this.find(headers);
    if (!loaded) throw this.unauthorized(reply, hadCookie, 'Sign in to use this API.');
    const context = currentRequestContext();
    let session;
    try {
      session = await this.refresher.fresh(loaded, context?.signal);
    } catch (error) {
      if (error instanceof SessionEndedError) {
        this.logger.log({ event: 'session.ended', reason: error.reason, sub: loaded.session.user.sub }, 'session ended while refreshing');
        throw this.unauthorized(reply, true, 'The session has ended; sign in again.');
      }
      if (error instanceof RefreshUnavailableError) {
        this.logger.warn({ event: 'session.refresh-unavailable', err: error.cause ?? error }, 'token refresh unavailable');
        throw problem('dependency-unavailable', { detail: 'Signing in could not be renewed just now; try again shortly.', headers: { 'retry-after': '2' }, cause: error });
      }
      throw unavailableOr(error);
    }
    const current = { handle: loaded.handle, session };
    const touched = await stateOrUnavailable(() => this.store.touch(current));
    const result = { handle: loaded.handle, session: touched };
    if (context) setIdentity(context, result, this.options.oidc.clientId);
    return result;
  }

  private unauthorized(reply: Reply, clearStaleCookie: boolean, detail: string) {
    if (clearStaleCookie) reply.header('set-cookie', clearCookie(SESSION_COOKIE));
    return problem('unauthorized', {
      detail,
      // A cookie session, not a bearer token: the challenge names the way in, and no browser
      // shows a credentials dialog for this scheme.
      headers: { 'www-authenticate': `Session realm="web", login="${WEB_PATHS.login}"` },
      extensions: { loginUrl: WEB_PATHS.login },
    });
  }
}

/** The caller as outbound clients see it: the edge access token is the subject of each exchange. */
function setIdentity(context: RequestContext, loaded: LoadedSession, clientId: string): void {
  const { user, tokens } = loaded.session;
  const identity = { sub: user.sub, ...(user.tenant ? { tenant: user.tenant } : {}), clientId };
  Object.defineProperty(identity, 'token', { value: tokens.accessToken, enumerable: false });
  context.identity = identity;
}

function unavailableOr(error: unknown): unknown {
  if (error instanceof StateUnavailableError) {
    return problem('dependency-unavailable', { detail: 'Sessions are unavailable just now; try again shortly.', headers: { 'retry-after': '1' }, cause: error });
  }
  return error;
}

/** Session storage down (Redis) → 503, not 500. */
export async function stateOrUnavailable<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    throw unavailableOr(error);
  }
}

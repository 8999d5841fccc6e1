import { Body, Controller, Get, HttpCode, Logger, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogoutTokenError, LogoutTokenVerifier } from '@edge/bff-web-oidc';
import { WEB_PATHS, type WebSessionDto } from '@edge/contracts-web';
import { problem } from '@edge/problem-details';
import { WebRoute } from '../routing/web-route';
import { BrowserSessions, stateOrUnavailable } from '../session/browser-sessions';
import { SignInFlow, type Redirect } from './sign-in.flow';
import { backChannelLogouts } from './web-auth.metrics';

function redirect(reply: FastifyReply, status: 302 | 303, to: Redirect): void {
  reply.header('set-cookie', to.cookies).header('cache-control', 'no-store').header('location', to.location).code(status).send();
}

function queryOf(request: FastifyRequest): URLSearchParams {
  const q = request.url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1));
}

/** Login, callback, logout, session info and back-channel logout under /web. */
@Controller('web')
export class WebAuthController {
  private readonly logger = new Logger('WebAuth');

  constructor(
    private readonly flow: SignInFlow,
    private readonly sessions: BrowserSessions,
    private readonly logoutTokens: LogoutTokenVerifier,
  ) {}

  /** `GET /web/login?returnTo=/web/...` → the IdP's authorization endpoint. */
  @WebRoute('page')
  @Get('login')
  async login(@Req() request: FastifyRequest, @Query('returnTo') returnTo: unknown, @Res() reply: FastifyReply): Promise<void> {
    redirect(reply, 302, await this.flow.start(request.headers, returnTo));
  }

  /** `GET /web/callback?code&state&iss` (the IdP's redirect) → the SPA, signed in. */
  @WebRoute('page')
  @Get('callback')
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    redirect(reply, 302, await this.flow.finish(request.headers, queryOf(request)));
  }

  /** `POST /web/logout` (a form in the SPA) → the IdP's end-session endpoint → back to /web/. */
  @WebRoute('form')
  @Post('logout')
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    redirect(reply, 303, await this.flow.logout(request.headers));
  }

  /** `GET /web/session`: who is signed in and until when — never a token. */
  @WebRoute('session-info')
  @Get('session')
  async session(@Req() request: FastifyRequest): Promise<WebSessionDto> {
    const loaded = await this.sessions.touch(request.headers);
    if (!loaded) return { authenticated: false, loginUrl: WEB_PATHS.login };
    const { user } = loaded.session;
    return {
      authenticated: true,
      user: { sub: user.sub, ...(user.name ? { name: user.name } : {}), ...(user.email ? { email: user.email } : {}), ...(user.tenant ? { tenant: user.tenant } : {}) },
      expiresAt: new Date(loaded.session.absoluteExpiresAt).toISOString(),
      idleExpiresAt: new Date(this.sessions.store.idleEndOf(loaded.session)).toISOString(),
      logoutUrl: WEB_PATHS.logout,
    };
  }

  /**
   * `POST /web/backchannel-logout` (OIDC Back-Channel Logout 1.0, from the IdP): ends every
   * session of the token's sid (or sub) on every instance — the sessions live in the shared store.
   */
  @WebRoute('back-channel')
  @Post('backchannel-logout')
  @HttpCode(200)
  async backChannelLogout(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    reply.header('cache-control', 'no-store');
    const token = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['logout_token'] : undefined;
    let target;
    try {
      target = await this.logoutTokens.verify(typeof token === 'string' ? token : undefined);
    } catch (error) {
      if (error instanceof LogoutTokenError) {
        backChannelLogouts.inc({ result: error.problem });
        this.logger.warn({ event: 'backchannel-logout.refused', reason: error.problem }, 'logout token refused');
        throw problem('bad-request', { detail: 'The logout token is not acceptable.' });
      }
      backChannelLogouts.inc({ result: 'unavailable' });
      this.logger.warn({ event: 'backchannel-logout.unavailable', err: error }, 'logout token could not be checked');
      throw problem('dependency-unavailable', { detail: 'The logout token cannot be checked just now.', headers: { 'retry-after': '5' }, cause: error });
    }
    const ended = await stateOrUnavailable(() => this.sessions.store.endAllOf(target, 'back-channel-logout'));
    backChannelLogouts.inc({ result: 'accepted' });
    this.logger.log({ event: 'backchannel-logout', sub: target.sub, sessions: ended }, 'back-channel logout');
  }
}

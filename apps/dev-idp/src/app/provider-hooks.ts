import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import { currentRequestContext } from '@edge/observability';
import { problem, sendProblem } from '@edge/problem-details';
import { recordTokenRequest } from './metrics';

type Ctx = KoaContextWithOIDC & { oidc?: KoaContextWithOIDC['oidc'] };

const GRANT_NOT_ALLOWED = 'requested grant type is not allowed for this client';

interface OAuthErrorBody {
  error?: unknown;
  error_description?: unknown;
}

/**
 * What dev-idp adds around oidc-provider: problem+json for paths it does not serve,
 * RFC 6749's `unauthorized_client` for a grant type the client may not use (oidc-provider
 * answers `invalid_request`), token endpoint metrics, and logs of the events worth knowing.
 * Logs carry ids and error codes only — never tokens, codes, cookies or secrets.
 */
export function installProviderHooks(provider: Provider, logger: Logger): void {
  provider.use(async (koaCtx, next) => {
    const ctx = koaCtx as unknown as Ctx;
    const context = currentRequestContext();
    try {
      await next();
    } catch (error) {
      logger.error({ err: error }, 'oidc-provider request failed');
      ctx.respond = false;
      sendProblem(ctx.res, error, { requestId: context?.requestId, traceId: context?.trace.traceId, instance: ctx.path });
      return;
    }
    const route = ctx.oidc?.route;
    if (context) context.route = route ? `oidc:${route}` : 'unmatched';
    if (route === 'token') {
      const body = (ctx.body ?? {}) as OAuthErrorBody;
      if (ctx.status === 400 && body.error === 'invalid_request' && body.error_description === GRANT_NOT_ALLOWED) {
        ctx.body = { ...body, error: 'unauthorized_client' };
      }
      const error = ctx.status >= 400 ? ((ctx.body as OAuthErrorBody).error ?? 'unknown') : undefined;
      recordTokenRequest(ctx.oidc?.params?.['grant_type'], ctx.oidc?.client?.clientId, error);
      return;
    }
    if (!route && ctx.status === 404 && ctx.body == null) {
      ctx.respond = false;
      sendProblem(ctx.res, problem('not-found', { detail: `no route for ${ctx.method} ${ctx.path}` }), {
        requestId: context?.requestId,
        traceId: context?.trace.traceId,
        instance: ctx.path,
      });
    }
  });

  // Koa would print these to stderr itself; they are logged above or by the events below.
  (provider as unknown as EventEmitter).on('error', (err: Error) => logger.warn({ err }, 'koa error'));
  provider.on('server_error', (_ctx, err) => logger.error({ err }, 'oidc-provider server error'));
  provider.on('grant.success', (ctx) => {
    logger.info({ event: 'grant.success', grantType: ctx.oidc.params?.['grant_type'], clientId: ctx.oidc.client?.clientId }, 'token issued');
  });
  provider.on('grant.error', (ctx, err) => {
    logger.info({ event: 'grant.error', grantType: ctx.oidc.params?.['grant_type'], clientId: ctx.oidc.client?.clientId, error: err.error, description: err.error_description }, 'token request rejected');
  });
  provider.on('authorization.error', (ctx, err) => {
    logger.info({ event: 'authorization.error', clientId: ctx.oidc.client?.clientId, error: err.error, description: err.error_description }, 'authorization request rejected');
  });
  provider.on('end_session.success', (ctx) => {
    logger.info({ event: 'end_session.success', clientId: ctx.oidc.client?.clientId }, 'signed out');
  });
  provider.on('backchannel.success', (_ctx, client, accountId) => {
    logger.info({ event: 'backchannel.success', clientId: client.clientId, sub: accountId }, 'back-channel logout delivered');
  });
  provider.on('backchannel.error', (_ctx, err, client, accountId) => {
    logger.warn({ event: 'backchannel.error', clientId: client.clientId, sub: accountId, error: err.message }, 'back-channel logout failed');
  });
}

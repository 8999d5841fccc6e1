import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { authProblem, AccessTokenVerifier } from '@edge/auth/verify';
import { canonicalAddress } from '@edge/gateway-proxy';
import { problem, PROBLEM_CONTENT_TYPE, toProblemResponse } from '@edge/problem-details';
import type { ConfigHolder } from './config-holder';
import { buildPortalDocument, docsPage } from './openapi-portal';

const RETRY_FAILED_SOURCES_MS = 30_000;

function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  const { status, headers, body } = toProblemResponse(error, { requestId: request.id, instance: request.url.split('?', 1)[0] });
  void reply.code(status).headers(headers).header('cache-control', 'no-store').type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/**
 * The gateway's own endpoints next to the proxy route: the API portal (/openapi.json and a
 * docs page, rebuilt when the config changes) and the admin API (cache purge), which is
 * off unless configured, reachable only from its IP rules and with its own credentials.
 */
export function registerGatewayEndpoints(fastify: FastifyInstance, holder: ConfigHolder, log: Logger): void {
  const initial = holder.current.config;
  let portal: { version: string; builtAt: number; doc: Record<string, unknown> | undefined; complete: boolean } | undefined;
  let building: Promise<void> | undefined;
  const rebuild = () =>
    (building ??= (async () => {
      const runtime = holder.current;
      const sources = runtime.config.openapi?.sources.length ?? 0;
      const doc = await buildPortalDocument(runtime.config, runtime, log);
      const found = doc ? Object.keys(doc['paths'] as object).length : 0;
      portal = { version: runtime.config.version, builtAt: Date.now(), doc, complete: sources === 0 || found > 0 };
    })().finally(() => (building = undefined)));

  if (initial.openapi) {
    const { path, docsPath, title } = initial.openapi;
    fastify.get(path, async (request, reply) => {
      const stale = !portal || portal.version !== holder.version || (!portal.complete && Date.now() - portal.builtAt > RETRY_FAILED_SOURCES_MS);
      if (stale) await rebuild();
      if (!portal?.doc) return sendError(request, reply, problem('not-found', { detail: 'No API portal is configured.' }));
      return reply.header('cache-control', 'no-cache').type('application/json').send(JSON.stringify(portal.doc));
    });
    fastify.get(docsPath, (_request, reply) => {
      void reply.header('cache-control', 'no-cache').header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'").type('text/html; charset=utf-8').send(docsPage(path, title));
    });
  }

  const admin = initial.server.admin;
  if (!admin) return;
  const staticToken = admin.auth.kind === 'static-token' ? process.env[admin.auth.tokenEnv] : undefined;
  if (admin.auth.kind === 'static-token' && !staticToken) {
    log.info({ tokenEnv: admin.auth.tokenEnv }, 'gateway admin API is off (its token variable is not set)');
    return;
  }
  const verifier =
    admin.auth.kind === 'jwt'
      ? new AccessTokenVerifier({ issuer: admin.auth.policy.issuer, audience: admin.auth.policy.audiences, ...(admin.auth.policy.jwksUri ? { jwksUri: admin.auth.policy.jwksUri } : {}), algorithms: admin.auth.policy.algorithms })
      : undefined;
  verifier?.start();
  fastify.addHook('onClose', async () => verifier?.close());
  const scopes = admin.auth.kind === 'jwt' ? admin.auth.scopes : [];

  const authorize = async (request: FastifyRequest) => {
    const ip = canonicalAddress(request.socket.remoteAddress ?? '');
    if (admin.ipRules && !admin.ipRules.allows(ip)) throw problem('ip-denied');
    const header = request.headers.authorization;
    if (verifier) {
      try {
        await verifier.authorize(header, [...scopes]);
      } catch (error) {
        throw authProblem(error) ?? error;
      }
      return;
    }
    const presented = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(staticToken ?? '');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw problem('unauthorized', { headers: { 'www-authenticate': 'Bearer realm="gateway-admin"' } });
    }
  };

  fastify.post(`${admin.basePath}/cache/purge`, async (request, reply) => {
    try {
      await authorize(request);
      const body = (request.body ?? {}) as { prefix?: unknown; tag?: unknown };
      const prefix = typeof body.prefix === 'string' && body.prefix.startsWith('/') ? body.prefix : undefined;
      const tag = typeof body.tag === 'string' && body.tag.length > 0 ? body.tag : undefined;
      if (!prefix && !tag) throw problem('validation-failed', { detail: 'Give a path prefix ("prefix": "/api/...") or a tag.', extensions: { errors: [{ field: 'prefix' }, { field: 'tag' }] } });
      const cache = holder.current.policies.cache;
      const purged = (prefix ? await cache.purgePrefix(prefix) : 0) + (tag ? await cache.purgeTag(tag) : 0);
      log.info({ prefix, tag, purged }, 'cache purged');
      return reply.header('cache-control', 'no-store').send({ purged });
    } catch (error) {
      return sendError(request, reply, error);
    }
  });
}

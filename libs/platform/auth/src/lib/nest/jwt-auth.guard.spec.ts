import { Body, Controller, Get, Module, Post, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { currentRequestContext, installRequestContext } from '@edge/observability';
import { ProblemDetailsFilter } from '@edge/problem-details';
import { startTestIssuer, type TestIssuer } from '@edge/testing';
import type { Identity } from '../identity';
import { TokenError, type TokenErrorReason } from '../token-error';
import { decodePayload, forgeToken, hmacWithPublicKey, publicJwks, withBrokenSignature, withPayload } from '../testing/token-forgery';
import { CurrentIdentity, OptionalAuth, Public, RequireScopes } from './auth.decorators';
import { AuthModule } from './auth.module';
import { PassportTokenAuthenticator } from './passport-token-authenticator';
import { TokenAuthenticator, type AuthEngine } from './token-authenticator';

const AUD = 'orders-api';
const who = (identity: Identity | undefined) => ({ sub: identity?.sub ?? null, tenant: identity?.tenant ?? null });

@Controller()
class ProbeController {
  @Get('default')
  undecided(@CurrentIdentity() identity: Identity | undefined) {
    return who(identity);
  }
  @Public()
  @Get('public')
  open(@CurrentIdentity() identity: Identity | undefined) {
    return who(identity);
  }
  @OptionalAuth()
  @RequireScopes('catalog:read')
  @Get('optional')
  optional(@CurrentIdentity() identity: Identity | undefined) {
    return who(identity);
  }
  @Get('context')
  context() {
    return { sub: currentRequestContext()?.identity?.sub ?? null };
  }
  @Post('context')
  postContext(@Body() body: unknown) {
    return { sub: currentRequestContext()?.identity?.sub ?? null, body };
  }
  @Get('metrics')
  metrics() {
    return 'metrics';
  }
}

@RequireScopes('orders:read')
@Controller('scoped')
class ScopedController {
  @Get('read')
  read() {
    return { ok: true };
  }
  @RequireScopes('orders:write')
  @Get('write')
  write() {
    return { ok: true };
  }
}

async function startApp(module: Type<unknown>): Promise<{ app: NestFastifyApplication; url: string }> {
  const fastify = Fastify();
  installRequestContext(fastify as never, { maxBudgetMs: 5000 });
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(fastify as never), { logger: false });
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: await app.getUrl().then((u) => u.replace('[::1]', '127.0.0.1')) };
}

interface Case {
  name: string;
  reason: TokenErrorReason;
  /** The Authorization header to send (undefined: none). */
  header: (issuer: TestIssuer, mint: Mint) => Promise<string | undefined>;
}
type Mint = (claims?: Record<string, unknown>, options?: Parameters<TestIssuer['mint']>[1]) => Promise<string>;
const now = () => Math.floor(Date.now() / 1000);

/** The same invalid tokens for every engine: the two paths cannot drift apart unnoticed. */
const invalidCases: Case[] = [
  { name: 'no Authorization header', reason: 'missing', header: async () => undefined },
  { name: 'a Basic credential', reason: 'malformed', header: async () => 'Basic YWxpY2U6cGFzc3dvcmQ=' },
  { name: 'garbage', reason: 'malformed', header: async () => 'Bearer abc.def.ghi' },
  ...['none', 'None', 'NONE'].map(
    (alg): Case => ({ name: `alg ${alg}`, reason: 'alg-not-allowed', header: async (_i, mint) => `Bearer ${forgeToken({ alg }, decodePayload(await mint()))}` }),
  ),
  {
    name: 'HS256 signed with the public key',
    reason: 'alg-not-allowed',
    header: async (issuer, mint) => `Bearer ${hmacWithPublicKey((await publicJwks(issuer.jwksUri))[0] as never, decodePayload(await mint()))}`,
  },
  {
    name: 'a tampered payload',
    reason: 'bad-signature',
    header: async (_i, mint) => {
      const token = await mint();
      return `Bearer ${withPayload(token, { ...decodePayload(token), sub: 'mallory' })}`;
    },
  },
  { name: 'a tampered signature', reason: 'bad-signature', header: async (_i, mint) => `Bearer ${withBrokenSignature(await mint())}` },
  { name: 'an expired token', reason: 'expired', header: async (_i, mint) => `Bearer ${await mint({ exp: now() - 120, iat: now() - 900 })}` },
  { name: 'nbf in the future', reason: 'not-yet-valid', header: async (_i, mint) => `Bearer ${await mint({ nbf: now() + 600 })}` },
  { name: 'a wrong issuer', reason: 'wrong-issuer', header: async (_i, mint) => `Bearer ${await mint({ iss: 'https://evil.example' })}` },
  { name: 'a wrong audience', reason: 'wrong-audience', header: async (_i, mint) => `Bearer ${await mint({ aud: 'catalog-api' })}` },
  { name: 'no exp', reason: 'missing-claim', header: async (_i, mint) => `Bearer ${await mint({}, { noExp: true })}` },
  { name: 'an unknown kid', reason: 'unknown-key', header: async (_i, mint) => `Bearer ${await mint({}, { kid: randomUUID() })}` },
];

describe.each<AuthEngine>(['jose', 'passport'])('JwtAuthGuard with the %s engine', (engine) => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  let url: string;
  let mint: Mint;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    mint = (claims = {}, options = {}) => issuer.mint({ aud: AUD, scope: 'orders:read catalog:read', ...claims }, options);
    @Module({
      imports: [AuthModule.forRoot({ issuer: issuer.issuer, audience: AUD, jwksUri: issuer.jwksUri, jwks: { refreshIntervalMs: 0 }, engine })],
      controllers: [ProbeController, ScopedController],
    })
    class TestModule {}
    ({ app, url } = await startApp(TestModule));
  });
  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  const get = (path: string, authorization?: string) => request(url + path, { headers: authorization ? { authorization } : {} });

  it.each(invalidCases)('answers $name with 401 invalid_token ($reason)', async ({ header, reason }) => {
    const authorization = await header(issuer, mint);
    for (const path of ['/default', '/optional']) {
      if (path === '/optional' && authorization === undefined) continue;
      const res = await get(path, authorization);
      const text = await res.body.text();
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['www-authenticate']).toBe(`Bearer error="invalid_token", error_description="${new TokenError(reason).message}"`);
      expect(JSON.parse(text)).toMatchObject({ type: 'urn:edge:problem:invalid-token', status: 401, detail: new TokenError(reason).message });
      if (authorization) expect(text).not.toContain(authorization.slice(7, 40));
    }
  });

  it('accepts a valid token, exposes the identity and puts it in the request context', async () => {
    const token = await mint({ sub: 'bob', tenant: 'acme' });
    expect(await (await get('/default', `Bearer ${token}`)).body.json()).toEqual({ sub: 'bob', tenant: 'acme' });
    expect(await (await get('/context', `Bearer ${token}`)).body.json()).toEqual({ sub: 'bob' });
    const posted = await request(`${url}/context`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await posted.body.json()).toEqual({ sub: 'bob', body: { a: 1 } });
  });

  it('requires a token on routes without a decision, and not on @Public ones', async () => {
    expect((await get('/default')).statusCode).toBe(401);
    expect((await get('/context')).statusCode).toBe(401);
    expect(await (await get('/public')).body.json()).toEqual({ sub: null, tenant: null });
    expect(await (await get('/public', 'Bearer garbage')).body.json()).toEqual({ sub: null, tenant: null });
  });

  it('lets @OptionalAuth routes be anonymous but never turns a bad token into anonymous', async () => {
    expect(await (await get('/optional')).body.json()).toEqual({ sub: null, tenant: null });
    expect(await (await get('/optional', `Bearer ${await mint({ sub: 'carol', tenant: 'globex' })}`)).body.json()).toEqual({ sub: 'carol', tenant: 'globex' });
    expect((await get('/optional', `Bearer ${await mint({ aud: 'edge-api' })}`)).statusCode).toBe(401);
    const noScope = await get('/optional', `Bearer ${await mint({ scope: 'orders:read' })}`);
    expect(noScope.statusCode).toBe(403);
    await noScope.body.dump();
  });

  it('enforces class and method scopes with 403 insufficient_scope', async () => {
    expect((await get('/scoped/read', `Bearer ${await mint({ scope: 'orders:read' })}`)).statusCode).toBe(200);
    const res = await get('/scoped/write', `Bearer ${await mint({ scope: 'orders:read' })}`);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="orders:read orders:write"');
    expect(await res.body.json()).toMatchObject({ type: 'urn:edge:problem:insufficient-scope', status: 403 });
    expect((await get('/scoped/write', `Bearer ${await mint({ scope: 'orders:write' })}`)).statusCode).toBe(403);
    expect((await get('/scoped/write', `Bearer ${await mint({ scope: 'orders:write orders:read' })}`)).statusCode).toBe(200);
  });

  it('runs the configured engine', () => {
    const authenticator = app.get<TokenAuthenticator>(TokenAuthenticator);
    expect(authenticator instanceof PassportTokenAuthenticator).toBe(engine === 'passport');
  });

  it('leaves /metrics anonymous (a controller that cannot carry our decorator)', async () => {
    expect((await get('/metrics')).statusCode).toBe(200);
  });
});

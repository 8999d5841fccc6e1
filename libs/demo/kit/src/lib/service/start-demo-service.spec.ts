import { Body, Controller, Get, Module, Post, Query, Req, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { connect } from 'node:net';
import { CurrentIdentity, OptionalAuth, RequireScopes, type Identity } from '@edge/auth';
import { currentRequestContext } from '@edge/observability';
import type { RunningApp } from '@edge/server';
import { startTestIssuer, type TestIssuer } from '@edge/testing';
import { sendCacheableJson } from '../http/etag';
import { PageQuery } from '../pagination/page-query';
import { callerOf } from '../tenancy/caller';
import { startDemoService } from './start-demo-service';

interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  body: { text(): Promise<string>; json(): Promise<unknown>; dump(): Promise<void> };
}

/** fetch with the shape the assertions read (feature libs may not import undici, even in specs). */
async function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<Reply> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: init.body } : {}),
    ...(init.timeoutMs ? { signal: AbortSignal.timeout(init.timeoutMs) } : {}),
  });
  const text = res.text();
  return {
    statusCode: res.status,
    headers: Object.fromEntries(res.headers),
    body: { text: () => text, json: async () => JSON.parse(await text) as unknown, dump: async () => void (await text) },
  };
}

class LineDto {
  @ApiProperty()
  @IsString()
  sku!: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(10)
  quantity!: number;
}

class CreateThingDto {
  @ApiProperty()
  @IsString()
  name!: string;

  @ApiProperty({ type: [LineDto] })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @Type(() => LineDto)
  lines!: LineDto[];
}

@Controller('things')
class ThingsController {
  @OptionalAuth()
  @Get()
  list(@Query() query: PageQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    sendCacheableJson(req, reply, { items: ['a', 'b'], limit: query.limit ?? 20 }, { cacheControl: 'public, max-age=60' });
  }

  @RequireScopes('things:write')
  @Post()
  create(@Body() body: CreateThingDto, @CurrentIdentity() identity: Identity) {
    return { created: body, by: callerOf(identity), context: currentRequestContext()?.identity?.sub };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

async function rawExchange(url: string, path: string): Promise<{ data: Buffer; error?: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve({ data: Buffer.concat(chunks), error: e.code ?? e.message }));
    socket.on('close', () => resolve({ data: Buffer.concat(chunks) }));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  });
}

describe('startDemoService', () => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let url: string;
  const start = (env: Record<string, string>) =>
    startDemoService({
      service: 'demo-things',
      defaultPort: 0,
      audience: 'things-api',
      module: ThingsModule,
      openApi: { title: 'Things', description: 'test' },
      env: { PORT: '0', LOG_LEVEL: 'silent', OIDC_ISSUER: issuer.issuer, OIDC_JWKS_URI: issuer.jwksUri, ...env },
    });
  const token = (claims: Record<string, unknown> = {}) => issuer.mint({ aud: 'things-api', scope: 'things:write', ...claims });
  const putFaults = (body: unknown) =>
    request(`${url}/__faults`, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    running = await start({ FAULTS_ENABLED: 'true' });
    url = running.url;
  });
  afterAll(async () => {
    await running.app.close();
    await issuer.close();
  });
  afterEach(async () => {
    await (await request(`${url}/__faults`, { method: 'DELETE' })).body.dump();
  });

  it('serves JSON with a strong ETag and answers If-None-Match with 304', async () => {
    const first = await request(`${url}/things?limit=5`);
    const etag = first.headers['etag'] as string;
    expect(await first.body.json()).toEqual({ items: ['a', 'b'], limit: 5 });
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const again = await request(`${url}/things?limit=5`, { headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(await again.body.text()).toBe('');
    expect(again.headers['etag']).toBe(etag);
  });

  it('validates query and body DTOs, listing every invalid and unknown field', async () => {
    const query = await request(`${url}/things?limit=0&sort=name`);
    expect(query.statusCode).toBe(400);
    const queryProblem = (await query.body.json()) as { errors: { field: string }[] };
    expect(queryProblem.errors.map((e) => e.field).sort()).toEqual(['limit', 'sort']);

    const res = await request(`${url}/things`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 5, lines: [{ sku: 'a', quantity: 11 }, { sku: 'b', quantity: 1, price: 3 }], admin: true }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = (await res.body.json()) as { type: string; errors: { field: string; detail: string }[] };
    expect(body.type).toBe('urn:edge:problem:validation-failed');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', detail: 'name must be a string' },
        { field: 'admin', detail: 'is not a known field' },
        { field: 'lines[0].quantity', detail: 'quantity must not be greater than 10' },
        { field: 'lines[1].price', detail: 'is not a known field' },
      ]),
    );
    expect(body.errors).toHaveLength(4);
  });

  it('rejects a missing or non-object body with field errors', async () => {
    const headers = { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' };
    for (const body of ['[1,2]', '"text"', 'null']) {
      const res = await request(`${url}/things`, { method: 'POST', headers, body });
      expect(res.statusCode).toBe(400);
      await res.body.dump();
    }
    const malformed = await request(`${url}/things`, { method: 'POST', headers, body: '{"name":' });
    expect(malformed.statusCode).toBe(400);
    expect(((await malformed.body.json()) as { type: string }).type).toBe('urn:edge:problem:malformed-json');
  });

  it('authenticates with the service audience and fills the request context', async () => {
    const ok = await request(`${url}/things`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token({ sub: 'bob', tenant: 'acme', client_id: 'bff-web' })}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n', lines: [{ sku: 'a', quantity: 1 }] }),
    });
    expect(ok.statusCode).toBe(201);
    expect(await ok.body.json()).toMatchObject({ by: { sub: 'bob', tenant: 'acme', tenantWide: false }, context: 'bob' });
    const wrongAudience = await request(`${url}/things`, { method: 'POST', headers: { authorization: `Bearer ${await token({ aud: 'edge-api' })}` } });
    expect(wrongAudience.statusCode).toBe(401);
    await wrongAudience.body.dump();
  });

  it('serves its OpenAPI 3.1 document without the faults controller', async () => {
    const res = await request(`${url}/openapi.json`);
    const doc = (await res.body.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/things']);
  });

  describe('fault injection', () => {
    it('validates PUT /__faults', async () => {
      const res = await putFaults({ errorRate: 3, mode: 'boom' });
      expect(res.statusCode).toBe(400);
      expect(((await res.body.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['errorRate', 'mode']);
    });

    it('adds latency to routes but not to health, readiness and metrics', async () => {
      expect((await putFaults({ latencyMs: 300 })).statusCode).toBe(200);
      let started = Date.now();
      await (await request(`${url}/things`)).body.dump();
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      started = Date.now();
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const res = await request(url + path);
        expect(res.statusCode).toBe(200);
        await res.body.dump();
      }
      expect(Date.now() - started).toBeLessThan(250);
    });

    it('answers errorRate 1 with the configured 5xx problem, unknown routes included', async () => {
      await (await putFaults({ errorRate: 1, status: 502 })).body.dump();
      for (const path of ['/things', '/nowhere']) {
        const res = await request(url + path);
        expect(res.statusCode).toBe(502);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(await res.body.json()).toMatchObject({ status: 502, detail: 'Injected fault.' });
      }
    });

    it('hangs until the client gives up', async () => {
      await (await putFaults({ mode: 'hang' })).body.dump();
      const started = Date.now();
      await expect(request(`${url}/things`, { timeoutMs: 400 })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    });

    it('resets the connection', async () => {
      await (await putFaults({ mode: 'reset' })).body.dump();
      const { data, error } = await rawExchange(url, '/things');
      expect(data.length).toBe(0);
      expect(error).toBe('ECONNRESET');
    });

    it('writes garbage that is not HTTP, then closes', async () => {
      await (await putFaults({ mode: 'garbage' })).body.dump();
      const { data } = await rawExchange(url, '/things');
      expect(data.length).toBeGreaterThan(0);
      expect(data.toString('latin1')).not.toMatch(/^HTTP\//);
      await expect(request(`${url}/things`)).rejects.toThrow();
    });
  });

  it('has no /__faults when FAULTS_ENABLED is not true', async () => {
    const plain = await start({});
    try {
      const res = await request(`${plain.url}/__faults`, { method: 'PUT', body: '{"errorRate":1}', headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      await res.body.dump();
    } finally {
      await plain.app.close();
    }
  });
});

import { Controller, Get, Module, Query } from '@nestjs/common';
import { request } from 'undici';
import { HttpClientModule, type HttpClient } from '@edge/http-client';
import { ObservabilityModule } from '@edge/observability';
import { startEdgeApp, type RunningApp } from '@edge/server';
import { startEchoUpstream, type EchoUpstream } from '@edge/testing';
import { defineBffEndpoint } from '../define-bff-endpoint';
import { CompositionConfigError } from '../validate-endpoint';
import { BffComposer } from './bff-composer';
import { CompositionModule } from './composition.module';
import '../fake-parts.fixture';

interface Input {
  user: string;
}

const home = defineBffEndpoint<Input>('test-home', { deadlineMs: 500 })
  .part('profile', { dependency: 'profiles', deadlineMs: 400, policy: 'required', call: (client: HttpClient, ctx) => client.get<{ url: string }>('/profiles/:id', { ...ctx.call, params: { id: ctx.input.user } }).then((r) => r.body.url) })
  .part('recommendations', { dependency: 'recs', deadlineMs: 150, policy: 'optional', fallback: () => 'none', call: (client: HttpClient, ctx) => client.get<{ url: string }>('/recs', ctx.call).then((r) => r.body.url) })
  .shape((v) => ({ profile: v.profile, recommendations: v.recommendations }));

@Controller()
class HomeController {
  constructor(private readonly composer: BffComposer) {}

  @Get('/home')
  home(@Query('user') user: string) {
    return this.composer.respond(home, { user });
  }
}

describe('CompositionModule', () => {
  let profiles: EchoUpstream;
  let recs: EchoUpstream;
  let running: RunningApp;

  beforeAll(async () => {
    profiles = await startEchoUpstream();
    recs = await startEchoUpstream();
    @Module({
      imports: [
        ObservabilityModule.forRoot({ service: 'composition-test', level: 'silent' }),
        HttpClientModule.register({ name: 'profiles', baseUrl: profiles.url }),
        HttpClientModule.register({ name: 'recs', baseUrl: recs.url, retries: { attempts: 1 } }),
        CompositionModule.forRoot({ endpoints: [home] }),
      ],
      controllers: [HomeController],
    })
    class AppModule {}
    running = await startEdgeApp({ service: 'composition-test', defaultPort: 0, module: AppModule, env: { PORT: '0', LOG_LEVEL: 'silent' } });
  });
  afterAll(async () => {
    await running?.app.close();
    await profiles.close();
    await recs.close();
  });

  it('serves the composed DTO; a failed optional part makes it 200 partial, no-store, with a warning', async () => {
    const whole = await request(`${running.url}/home?user=alice`);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['partial-response']).toBeUndefined();
    expect(await whole.body.json()).toEqual({ profile: '/profiles/alice', recommendations: '/recs' });

    recs.handle((_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{}'));
    const partial = await request(`${running.url}/home?user=bob`);
    expect(partial.statusCode).toBe(200);
    expect(partial.headers['partial-response']).toBe('true');
    expect(partial.headers['cache-control']).toBe('no-store');
    expect(await partial.body.json()).toEqual({
      profile: '/profiles/bob',
      recommendations: 'none',
      warnings: [{ code: 'recommendations-unavailable', part: 'recommendations', served: 'fallback', reason: 'error' }],
    });

    recs.handle(() => undefined); // hangs
    const started = Date.now();
    const slow = await request(`${running.url}/home?user=bob`);
    expect(slow.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(400);
    expect(((await slow.body.json()) as { warnings: { reason: string }[] }).warnings[0]?.reason).toBe('timeout');
    // The part's deadline cancelled the call: the upstream sees the connection close.
    for (let i = 0; i < 50 && !recs.requests.at(-1)?.aborted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(recs.requests.at(-1)?.aborted).toBe(true);
  });

  it("answers a required part's failure with its problem (502 for an upstream 500)", async () => {
    profiles.handle((_req, res) => res.writeHead(500).end());
    const res = await request(`${running.url}/home?user=alice`);
    expect(res.statusCode).toBe(502);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(((await res.body.json()) as { type: string }).type).toBe('urn:edge:problem:bad-gateway');
    profiles.handle(undefined);
  });

  it('refuses to start when an endpoint names a dependency without a client, listing each', async () => {
    @Module({
      imports: [
        ObservabilityModule.forRoot({ service: 'composition-test', level: 'silent' }),
        HttpClientModule.register({ name: 'profiles', baseUrl: profiles.url }),
        CompositionModule.forRoot({ endpoints: [home] }),
      ],
    })
    class BrokenModule {}
    const error = await startEdgeApp({ service: 'composition-test', defaultPort: 0, module: BrokenModule, env: { PORT: '0', LOG_LEVEL: 'silent' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompositionConfigError);
    expect((error as CompositionConfigError).problems).toEqual(['test-home.recommendations: unknown dependency "recs" (no http client of that name)']);
  });
});

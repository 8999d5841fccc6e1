import { Module } from '@nestjs/common';
import { request } from 'undici';
import { AuthModule } from '@edge/auth';
import { ObservabilityModule } from '@edge/observability';
import { startHeldJwks, startTestIssuer, type TestIssuer } from '@edge/testing';
import { startEdgeApp, type RunningApp } from './create-app';

const readyz = async (app: RunningApp) => {
  const res = await request(`${app.url}/readyz`);
  const body = await res.body.text();
  return { status: res.statusCode, body };
};

describe('startEdgeApp readiness of an app that verifies tokens', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    await issuer.close();
  });

  it('is not ready until its JWKS loaded, then ready', async () => {
    const jwks = await startHeldJwks(issuer);
    @Module({
      imports: [
        ObservabilityModule.forRoot({ service: 'test', level: 'silent' }),
        AuthModule.forRoot({ issuer: issuer.issuer, audience: 'test-api', jwksUri: jwks.uri, jwks: { timeoutMs: 5000 } }),
      ],
    })
    class TokenModule {}
    const app = await startEdgeApp({ service: 'test', defaultPort: 0, module: TokenModule, env: { PORT: '0', LOG_LEVEL: 'silent' } });
    try {
      const before = await readyz(app);
      expect(before.status).toBe(503);
      expect(before.body).toContain('jwks');
      jwks.release();
      let after = before;
      for (let i = 0; i < 100 && after.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 20));
        after = await readyz(app);
      }
      expect(after.status).toBe(200);
    } finally {
      await app.app.close();
      jwks.close();
    }
  });

  it('adds no key check to an app without token verification', async () => {
    @Module({ imports: [ObservabilityModule.forRoot({ service: 'test', level: 'silent' })] })
    class PlainModule {}
    const app = await startEdgeApp({ service: 'test', defaultPort: 0, module: PlainModule, env: { PORT: '0', LOG_LEVEL: 'silent' } });
    try {
      expect((await readyz(app)).status).toBe(200);
    } finally {
      await app.app.close();
    }
  });
});

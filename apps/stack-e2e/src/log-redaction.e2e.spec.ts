import { request } from 'undici';
import { spawnApp } from '@edge/testing';

/**
 * Issue 2: a log line for a request with Authorization and Cookie holds neither value.
 * A Nest app on the shared platform (demo-catalog: nestjs-pino access logs) is the subject.
 */
describe('log redaction', () => {
  it('never writes Authorization, Cookie or credential query values to the access log', async () => {
    const app = await spawnApp('demo-catalog', { env: { LOG_LEVEL: 'info', OIDC_ISSUER: 'http://127.0.0.1:9' } });
    const res = await request(`${app.url}/products?limit=1&access_token=query-secret-123`, {
      headers: { authorization: 'Bearer header-secret-456', cookie: 'session=cookie-secret-789', 'x-api-key': 'key-secret-000' },
    });
    await res.body.dump();
    await new Promise((r) => setTimeout(r, 200));
    await app.stop();
    const lines = app.output().split('\n').filter((l) => l.includes('/products'));
    expect(lines.length).toBeGreaterThan(0);
    expect(app.output()).not.toMatch(/header-secret-456|cookie-secret-789|key-secret-000|query-secret-123/);
  });
});

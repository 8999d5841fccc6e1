import { toProblemResponse } from '@edge/problem-details';
import { startEchoUpstream, type EchoUpstream } from '@edge/testing';
import { HttpClient } from './http-client';
import { clientAndUpstream, rejectionOf } from './request-context.fixture';
import { UnsafeRequestError } from './upstream-error';

describe('HttpClient outbound allow-list (real loopback upstream)', () => {
  let env: Awaited<ReturnType<typeof clientAndUpstream>>;
  let evil: EchoUpstream;
  beforeEach(async () => {
    evil = await startEchoUpstream();
  });
  afterEach(async () => {
    await evil.close();
    await env.close();
  });

  const escapes: [string, Record<string, string> | undefined][] = [
    ['/orders/:id', { id: '../admin' }],
    ['/orders/:id', { id: '..%2fadmin' }],
    ['/orders/:id', { id: '%2e%2e/admin' }],
    ['/orders/:id', { id: '%2e%2e' }],
    ['/orders/:id', { id: '..' }],
    ['/orders/:id', { id: 'a/b' }],
    ['/orders/:id', { id: 'a\\b' }],
    ['/orders/:id', { id: 'a%5cb' }],
    ['/orders/:id', { id: '//evil.example' }],
    ['/orders/:id', { id: 'x\r\nhost: evil' }],
    ['../admin', undefined],
    ['/orders/../admin', undefined],
    ['/orders/..%2fadmin', undefined],
    ['/orders/%2e%2e/admin', undefined],
    ['//evil.example/x', undefined],
    ['https://evil.example/x', undefined],
    ['/orders\\..\\admin', undefined],
    ['/orders/%5c..%5cadmin', undefined],
  ];

  it.each(escapes)('refuses %j %j before anything is sent', async (path, params) => {
    env = await clientAndUpstream();
    const client = new HttpClient({ name: 'confined', baseUrl: `${env.upstream.url}/api` });
    const error = await rejectionOf(client.get(path, { params }));
    await client.close();
    expect(error).toBeInstanceOf(UnsafeRequestError);
    // A programming error: the platform answers 500 and logs it (never a client-facing detail).
    const problem = toProblemResponse(error);
    expect(problem).toMatchObject({ status: 500, unexpected: true });
    expect(env.upstream.requests).toHaveLength(0);
    expect(evil.requests).toHaveLength(0);
  });

  it('refuses an absolute URL to another host that is running, and never reaches it', async () => {
    env = await clientAndUpstream();
    await expect(env.client.get(`${evil.url}/steal`)).rejects.toBeInstanceOf(UnsafeRequestError);
    await expect(env.client.get(`//127.0.0.1:${evil.port}/steal`)).rejects.toBeInstanceOf(UnsafeRequestError);
    expect(evil.requests).toHaveLength(0);
  });

  it('keeps every request under the base path, encoding parameters', async () => {
    env = await clientAndUpstream();
    const client = new HttpClient({ name: 'based', baseUrl: `${env.upstream.url}/api/v1/` });
    await client.get('/orders/:id', { params: { id: 'a b?c#d' }, query: { fields: ['id', 'total'] } });
    await client.close();
    expect(env.upstream.requests[0]?.url).toBe('/api/v1/orders/a%20b%3Fc%23d?fields=id&fields=total');
  });

  it('refuses headers that could redirect or smuggle the request', async () => {
    env = await clientAndUpstream();
    for (const header of ['Host', 'connection', 'transfer-encoding', 'content-length', 'upgrade']) {
      await expect(env.client.get('/x', { headers: { [header]: 'x' } })).rejects.toBeInstanceOf(UnsafeRequestError);
    }
    expect(env.upstream.requests).toHaveLength(0);
  });
});

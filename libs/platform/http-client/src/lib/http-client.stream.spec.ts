import type { ServerResponse } from 'node:http';
import { clientAndUpstream, rejectionOf, waitFor } from './request-context.fixture';

describe('HttpClient.stream (real loopback upstream)', () => {
  let env: Awaited<ReturnType<typeof clientAndUpstream>>;
  afterEach(() => env.close());

  it('hands over the 2xx body as a stream and holds the bulkhead slot until it closes', async () => {
    env = await clientAndUpstream({ bulkhead: { maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 10 } });
    let held: ServerResponse | undefined;
    env.upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part 1;');
      held = res;
    });
    const response = await env.client.stream('GET', '/file');
    expect(response.status).toBe(200);
    // The body is still open: the one slot is taken.
    await expect(env.client.get('/other')).rejects.toMatchObject({ kind: 'overloaded' });
    const chunks: Buffer[] = [];
    response.body.on('data', (c: Buffer) => chunks.push(c));
    await waitFor(() => held !== undefined);
    held?.end('part 2');
    await new Promise((resolve) => response.body.once('close', resolve));
    expect(Buffer.concat(chunks).toString()).toBe('part 1;part 2');
    env.upstream.handle(undefined);
    await expect(env.client.get('/other')).resolves.toMatchObject({ status: 200 });
  });

  it('keeps the deadline running while the body streams, and closes the connection when it passes', async () => {
    env = await clientAndUpstream({ timeoutMs: 100 });
    env.upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('never finished');
    });
    const response = await env.client.stream('GET', '/file');
    const error = await rejectionOf(new Promise((resolve, reject) => response.body.on('data', () => undefined).on('end', resolve).on('error', reject)));
    expect(error).toBeDefined();
    await waitFor(() => env.upstream.requests[0]?.aborted === true);
  });

  it('throws non-2xx answers like request() does', async () => {
    env = await clientAndUpstream();
    env.upstream.handle((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"missing":true}');
    });
    await expect(env.client.stream('GET', '/file')).rejects.toMatchObject({ kind: 'status', status: 404, upstream: { body: { missing: true } } });
  });
});

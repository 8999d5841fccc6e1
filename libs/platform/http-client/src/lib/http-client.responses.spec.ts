import { createServer, type Server, type Socket } from 'node:net';
import { HttpClient } from './http-client';
import { clientAndUpstream, rejectionOf } from './request-context.fixture';

describe('HttpClient answers (real loopback upstream)', () => {
  let env: Awaited<ReturnType<typeof clientAndUpstream>>;
  afterEach(() => env.close());

  it('parses JSON, returns text as text, and empty bodies as undefined', async () => {
    env = await clientAndUpstream();
    env.upstream.handle((req, res) => {
      if (req.url === '/json') res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"a":[1,2]}');
      else if (req.url === '/text') res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      else res.writeHead(204).end();
    });
    await expect(env.client.get('/json')).resolves.toMatchObject({ status: 200, body: { a: [1, 2] } });
    await expect(env.client.get('/text')).resolves.toMatchObject({ body: 'hello' });
    const empty = await env.client.delete('/thing');
    expect(empty).toMatchObject({ status: 204 });
    expect(empty.body).toBeUndefined();
  });

  it('sends text and bytes bodies with their content types, and JSON by default', async () => {
    env = await clientAndUpstream();
    await env.client.put('/a', { body: 'plain' });
    await env.client.put('/b', { body: Buffer.from([1, 2, 3]) });
    await env.client.patch('/c', { body: { x: 1 }, headers: { 'content-type': 'application/merge-patch+json' } });
    const [a, b, c] = env.upstream.requests;
    expect(a?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(b?.headers['content-type']).toBe('application/octet-stream');
    expect([...(b?.body ?? [])]).toEqual([1, 2, 3]);
    expect(c?.headers['content-type']).toBe('application/merge-patch+json');
    expect(c?.body.toString()).toBe('{"x":1}');
  });

  it('fails a 2xx that announces JSON and is not, as a 502 protocol failure', async () => {
    env = await clientAndUpstream({ retries: { attempts: 3 } });
    env.upstream.handle((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{not json'));
    await expect(env.client.get('/x')).rejects.toMatchObject({ kind: 'protocol', status: 502 });
    expect(env.upstream.requests).toHaveLength(1);
  });

  it('cuts off an answer larger than maxResponseBytes', async () => {
    env = await clientAndUpstream({ maxResponseBytes: 1_000 });
    env.upstream.handle((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5_000)));
    await expect(env.client.get('/big')).rejects.toMatchObject({ kind: 'protocol', status: 502 });
  });

  it('treats an upstream that speaks garbage as a protocol failure', async () => {
    const sockets = new Set<Socket>();
    const garbage: Server = createServer((socket) => {
      sockets.add(socket);
      socket.end('this is not http\r\n\r\n');
    });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    const address = garbage.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = new HttpClient({ name: 'garbage', baseUrl: `http://127.0.0.1:${port}`, retries: { attempts: 1 } });
    env = {
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => garbage.close(resolve));
        await client.close();
      },
    } as unknown as typeof env;
    const error = await rejectionOf(client.get('/x'));
    expect(error).toMatchObject({ status: 502 });
    expect(error).toMatchObject({ kind: 'protocol' });
  });
});

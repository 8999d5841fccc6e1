import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import type { Exchange, ResponseFilter } from './exchange';
import { addResponseHeader, commitHead, writeResponse } from './respond';

interface Received {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  error?: string;
}

let server: Server;
let port: number;
let handler: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function exchangeFor(req: IncomingMessage, res: ServerResponse): Exchange {
  return {
    req,
    res,
    method: req.method ?? 'GET',
    path: '/',
    query: '',
    match: {} as never,
    route: {} as never,
    clientIp: '127.0.0.1',
    requestId: 'rid-1',
    trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', flags: '01' },
    tls: false,
    deadline: Date.now() + 1000,
    identity: undefined,
    apiKey: undefined,
    responseHeaders: [],
    responseFilters: [],
    notes: {},
  };
}

function get(): Promise<Received> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', (e) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, error: e.message }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, error: 'aborted' }));
    });
    req.on('error', (e) => resolve({ status: 0, headers: {}, body: '', error: e.message }));
    req.end();
  });
}

const upper: ResponseFilter = () =>
  new Transform({
    transform(chunk: Buffer, _e, cb) {
      cb(null, chunk.toString().toUpperCase());
    },
  });

describe('commitHead', () => {
  it('runs filters first, then adds the exchange-wide headers (Vary merged) and correlation', async () => {
    handler = (req, res) => {
      const ex = exchangeFor(req, res);
      addResponseHeader(ex, 'vary', 'Origin');
      addResponseHeader(ex, 'ratelimit', '"p";r=1;t=2');
      addResponseHeader(ex, 'vary', 'Accept');
      ex.responseFilters.push((_e, head) => {
        head.headers['x-seen-ratelimit'] = String(head.headers['ratelimit'] !== undefined);
        return undefined;
      }, upper);
      commitHead(ex, { status: 201, headers: { vary: 'Accept-Language', 'content-type': 'text/plain' } }).end('hello');
    };
    const r = await get();
    expect(r.status).toBe(201);
    expect(r.body).toBe('HELLO');
    expect(r.headers['vary']).toBe('Accept-Language, Origin, Accept');
    expect(r.headers['ratelimit']).toBe('"p";r=1;t=2');
    expect(r.headers['x-seen-ratelimit']).toBe('false'); // filters never see (or store) them
    expect(r.headers['x-request-id']).toBe('rid-1');
    expect(r.headers['traceresponse']).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  it('defers the head when a filter asks, so a transform can still change status and headers', async () => {
    handler = (req, res) => {
      const ex = exchangeFor(req, res);
      ex.responseFilters.push((_e, head) => {
        head.deferred = true;
        let seen = '';
        return new Transform({
          transform(chunk: Buffer, _enc, cb) {
            seen += chunk.toString();
            cb();
          },
          flush(cb) {
            head.status = 418;
            head.headers['x-decided'] = `after ${seen.length} bytes`;
            cb(null, 'replaced');
          },
        });
      });
      const sink = commitHead(ex, { status: 200, headers: {} });
      sink.write('abc');
      setTimeout(() => sink.end('def'), 10);
    };
    const r = await get();
    expect(r.status).toBe(418);
    expect(r.headers['x-decided']).toBe('after 6 bytes');
    expect(r.body).toBe('replaced');
  });

  it('cuts the client response when a transform fails mid-body (never a hanging response)', async () => {
    handler = (req, res) => {
      const ex = exchangeFor(req, res);
      ex.responseFilters.push(
        () =>
          new Transform({
            transform(chunk: Buffer, _enc, cb) {
              if (chunk.toString() === 'bad') cb(new Error('boom'));
              else cb(null, chunk);
            },
          }),
      );
      const sink = commitHead(ex, { status: 200, headers: { 'content-type': 'text/plain' } });
      sink.write('good');
      setTimeout(() => sink.write('bad'), 10);
    };
    const r = await get();
    expect(r.status).toBe(200);
    expect(r.error).toBeDefined();
  });

  it('writes complete responses for stages that answer themselves', async () => {
    handler = (req, res) => writeResponse(exchangeFor(req, res), { status: 204, headers: { 'x-a': '1' } });
    const r = await get();
    expect(r.status).toBe(204);
    expect(r.headers['x-a']).toBe('1');
    expect(r.headers['x-request-id']).toBe('rid-1');
  });
});

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  /** Set when the client closed the connection before the response was sent. */
  aborted: boolean;
}

export type EchoHandler = (req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => unknown;

export interface EchoUpstream {
  url: string;
  port: number;
  server: Server;
  requests: RecordedRequest[];
  /** Replace how the upstream answers (default: 200 JSON echo of what it received). */
  handle(handler: EchoHandler | undefined): void;
  close(): Promise<void>;
}

const defaultHandler: EchoHandler = (_req, res, recorded) => {
  const body = JSON.stringify({ method: recorded.method, url: recorded.url, headers: recorded.headers, body: recorded.body.toString('utf8') });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

/** A real HTTP server on loopback that records exactly what it received. */
export async function startEchoUpstream(port = 0): Promise<EchoUpstream> {
  let handler: EchoHandler = defaultHandler;
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.alloc(0), aborted: false };
    requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) recorded.aborted = true;
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      recorded.body = Buffer.concat(chunks);
      void Promise.resolve(handler(req, res, recorded)).catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    server,
    requests,
    handle: (h) => {
      handler = h ?? defaultHandler;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedExchange {
  authorization: string | undefined;
  form: URLSearchParams;
}

export interface FakeAnswer {
  status?: number;
  body?: unknown;
  delayMs?: number;
  /** Never answer (the client's timeout must end the wait). */
  hang?: boolean;
}

/**
 * A token endpoint on loopback that records each exchange and answers with a token naming
 * the subject and target, so tests can tell whose token came back. `answer` decides per call.
 */
export interface FakeTokenEndpoint {
  issuer: string;
  tokenEndpoint: string;
  received: ReceivedExchange[];
  discoveries: number;
  answer: (call: ReceivedExchange, n: number) => FakeAnswer;
  close(): Promise<void>;
}

export function issuedToken(subject: string, form: URLSearchParams, n: number): string {
  return `exchanged:${subject}:${form.get('resource') ?? form.get('audience') ?? ''}:${form.get('scope') ?? ''}:${n}`;
}

export async function startFakeTokenEndpoint(): Promise<FakeTokenEndpoint> {
  const hanging = new Set<ServerResponse>();
  const fake: FakeTokenEndpoint = {
    issuer: '',
    tokenEndpoint: '',
    received: [],
    discoveries: 0,
    answer: (call, n) => ({ body: { access_token: issuedToken(call.form.get('subject_token') ?? '', call.form, n), token_type: 'Bearer', expires_in: 300, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' } }),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/.well-known/openid-configuration') {
        fake.discoveries++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: fake.issuer, token_endpoint: fake.tokenEndpoint }));
        return;
      }
      if (req.url !== '/token' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const call: ReceivedExchange = { authorization: req.headers.authorization, form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) };
      fake.received.push(call);
      const answer = fake.answer(call, fake.received.length);
      if (answer.hang) {
        hanging.add(res);
        return;
      }
      const send = () => {
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.issuer = `http://127.0.0.1:${port}`;
  fake.tokenEndpoint = `http://127.0.0.1:${port}/token`;
  return fake;
}

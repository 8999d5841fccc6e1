import { createServer, type IncomingMessage, type Server } from 'node:http';
import { HttpClient } from '@edge/http-client';
import { isProblemException } from '@edge/problem-details';
import type { PartnerCaller } from '../auth/partner-caller';
import { DelegatedTokens, PARTNER_DELEGATION_GRANT } from './delegated-tokens';

interface Seen {
  authorization: string | undefined;
  form: Record<string, string>;
}

/** A token endpoint on loopback that records each request and answers as told. */
async function fakeIdp(answer: () => { status: number; body: unknown; delayMs?: number }) {
  const seen: Seen[] = [];
  let base = '';
  const server: Server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/.well-known/openid-configuration') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ issuer: base, token_endpoint: `${base}/oauth/token` }));
        return;
      }
      seen.push({ authorization: req.headers.authorization, form: Object.fromEntries(new URLSearchParams(text)) });
      const { status, body, delayMs } = answer();
      setTimeout(() => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      }, delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { base, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const keyCaller = (scopes: string[], clientId = 'partner-acme', tenant = 'acme'): PartnerCaller => ({ sub: clientId, clientId, tenant, scopes: new Set(scopes), credential: 'api-key', keyId: 'k' });

describe('DelegatedTokens', () => {
  let idp: Awaited<ReturnType<typeof fakeIdp>>;
  let client: HttpClient;
  let now: number;
  let answer: { status: number; body: unknown; delayMs?: number };

  beforeEach(async () => {
    now = 1_000_000;
    answer = { status: 200, body: { access_token: 'tok-1', token_type: 'Bearer', expires_in: 300 } };
    idp = await fakeIdp(() => answer);
    client = new HttpClient({ name: 'idp', baseUrl: idp.base, retries: { attempts: 1 } });
  });
  afterEach(async () => {
    await client.close();
    await idp.close();
  });

  const tokens = () => new DelegatedTokens(client, { clientId: 'bff-partner', clientSecret: 'bff-partner-secret' }, () => now);

  it("asks for the partner's token as this client, for the key's tenant and the scopes the dependency understands", async () => {
    expect(await tokens().authorizationFor('orders', keyCaller(['orders:read', 'catalog:read']))).toBe('Bearer tok-1');
    expect(idp.seen).toEqual([
      {
        authorization: `Basic ${Buffer.from('bff-partner:bff-partner-secret').toString('base64')}`,
        form: { grant_type: PARTNER_DELEGATION_GRANT, partner: 'partner-acme', tenant: 'acme', resource: 'urn:orders-api', scope: 'orders:read' },
      },
    ]);
  });

  it('caches per partner, tenant, dependency and scopes until shortly before expiry, one request in flight', async () => {
    const delegated = tokens();
    answer = { ...answer, delayMs: 50 };
    await Promise.all([1, 2, 3].map(() => delegated.authorizationFor('orders', keyCaller(['orders:read']))));
    expect(idp.seen).toHaveLength(1);
    await delegated.authorizationFor('orders', keyCaller(['orders:read']));
    expect(idp.seen).toHaveLength(1);
    await delegated.authorizationFor('orders', keyCaller(['orders:read', 'orders:write']));
    await delegated.authorizationFor('catalog', keyCaller(['catalog:read']));
    await delegated.authorizationFor('orders', keyCaller(['orders:read'], 'partner-globex', 'globex'));
    expect(idp.seen).toHaveLength(4);
    now += 300_000 - 30_000;
    await delegated.authorizationFor('orders', keyCaller(['orders:read']));
    expect(idp.seen).toHaveLength(5);
  });

  it('refuses a key without any scope the dependency understands, without asking the IdP', async () => {
    const error = await tokens().authorizationFor('orders', keyCaller(['catalog:read'])).catch((e: unknown) => e);
    expect(isProblemException(error) && [error.status, error.code]).toEqual([403, 'insufficient-scope']);
    expect(idp.seen).toHaveLength(0);
  });

  it('answers 503 when the IdP fails, 502 when it refuses this client or partner', async () => {
    answer = { status: 500, body: { error: 'server_error' } };
    let error = await tokens().authorizationFor('orders', keyCaller(['orders:read'])).catch((e: unknown) => e);
    expect(isProblemException(error) && [error.status, error.code, error.headers['retry-after']]).toEqual([503, 'dependency-unavailable', '1']);
    answer = { status: 400, body: { error: 'unauthorized_client' } };
    error = await tokens().authorizationFor('orders', keyCaller(['orders:read'])).catch((e: unknown) => e);
    expect(isProblemException(error) && [error.status, error.code]).toEqual([502, 'bad-gateway']);
    answer = { status: 200, body: { token_type: 'Bearer' } };
    error = await tokens().authorizationFor('orders', keyCaller(['orders:read'])).catch((e: unknown) => e);
    expect(isProblemException(error) && error.status).toBe(503);
  });
});

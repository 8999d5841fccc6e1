import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestIssuer } from './test-issuer';

export interface HeldJwks {
  /** Serves the issuer's JWKS here once released. */
  uri: string;
  /** Answers every held and later request. */
  release(): void;
  close(): void;
}

/** A JWKS endpoint that holds its answers until released: an IdP busy while an app starts. */
export async function startHeldJwks(issuer: TestIssuer): Promise<HeldJwks> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((_req, res) => {
    void released.then(async () => {
      const jwks = await (await fetch(issuer.jwksUri)).text();
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    release,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { generateSigningKeys, loadSigningKeys } from './signing-keys';

async function roundTrip(privateJwk: JWK, publicJwks: { keys: JWK[] }): Promise<string | undefined> {
  const key = await importJWK(privateJwk as Parameters<typeof importJWK>[0], 'RS256');
  const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: privateJwk.kid as string }).sign(key);
  const { payload } = await jwtVerify(token, createLocalJWKSet(publicJwks as Parameters<typeof createLocalJWKSet>[0]));
  return payload.sub;
}

describe('signing keys', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dev-idp-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a 2048-bit RS256 key whose public half verifies its signatures', async () => {
    const keys = generateSigningKeys();
    const [privateJwk] = keys.privateJwks.keys;
    const [publicJwk] = keys.publicJwks.keys;
    expect(privateJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: publicJwk?.kid });
    expect(publicJwk?.d).toBeUndefined();
    expect(Buffer.from(publicJwk?.n as string, 'base64url').length).toBe(256);
    expect(await roundTrip(privateJwk as JWK, keys.publicJwks as { keys: JWK[] })).toBe('alice');
    expect(generateSigningKeys().publicJwks.keys[0]?.kid).not.toBe(publicJwk?.kid);
  });

  it('loads keys from DEV_IDP_JWKS_FILE so tokens survive restarts', async () => {
    const file = path.join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(generateSigningKeys().privateJwks));
    const first = loadSigningKeys(file);
    const second = loadSigningKeys(file);
    expect(second.publicJwks).toEqual(first.publicJwks);
    expect(await roundTrip(first.privateJwks.keys[0] as JWK, second.publicJwks as { keys: JWK[] })).toBe('alice');
  });

  it('explains what is wrong with a bad key file', () => {
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    expect(() => loadSigningKeys(path.join(dir, 'missing.json'))).toThrow(/not a readable JSON file/);
    expect(() => loadSigningKeys(write('empty.json', '{"keys":[]}'))).toThrow(/at least one key/);
    const publicOnly = generateSigningKeys().publicJwks;
    expect(() => loadSigningKeys(write('public.json', JSON.stringify(publicOnly)))).toThrow(/keys\[0\] must be a private RSA JWK with a kid/);
    const broken = { keys: [{ ...generateSigningKeys().privateJwks.keys[0], n: 'AQAB' }] };
    expect(() => loadSigningKeys(write('broken.json', JSON.stringify(broken)))).toThrow(/not a usable RSA private key/);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiKeyService, createApiKeyRepository } from '@edge/bff-partner-api-keys';
import { startRedisServer } from '@edge/testing';
import { runPartnerKeys } from './partner-keys.cli';

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('partner-keys CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  const run = async (...argv: string[]): Promise<Run> => {
    let out = '';
    let err = '';
    const code = await runPartnerKeys(argv, { env, out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'partner-keys-cli-'));
    env = { PARTNER_KEYS_FILE: path.join(dir, 'keys.json') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key, prints it once on stdout, and stores only its hash', async () => {
    const created = await run('create', '--tenant', 'acme', '--scopes', 'orders:read,orders:write', '--expires', '30d', '--label', 'ERP');
    expect(created.code).toBe(0);
    const key = created.out.trim();
    expect(key).toMatch(/^pk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toMatch(/created key [a-z0-9]{16} for partner-acme \(tenant acme; orders:read orders:write; expires 20\d\d-/);
    expect(created.err).toContain('only time the key is shown');
    expect(readFileSync(env['PARTNER_KEYS_FILE'] as string, 'utf8')).not.toContain(key);
    const verified = await new ApiKeyService(createApiKeyRepository({ file: env['PARTNER_KEYS_FILE'] })).verify(key);
    expect(verified).toMatchObject({ ok: true, key: { tenant: 'acme', partner: 'partner-acme' } });
    if (verified.ok) expect(verified.key.expiresAt).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const listed = await run('list');
    expect(listed.out).toMatch(/^ID\s+PARTNER\s+TENANT\s+SCOPES\s+STATUS/);
    expect(listed.out).toContain('orders:read,orders:write  active');
    expect(listed.out).not.toContain(key.slice(20));
  });

  it('lists as JSON, filters, and revokes', async () => {
    const acme = JSON.parse((await run('create', '--tenant', 'acme', '--scopes', 'orders:read', '--json')).out) as { id: string; key: string };
    await run('create', '--tenant', 'globex', '--scopes', 'catalog:read');
    const listed = JSON.parse((await run('list', '--tenant', 'acme', '--json')).out) as { id: string; status: string; hash?: string }[];
    expect(listed).toEqual([expect.objectContaining({ id: acme.id, status: 'active' })]);
    expect(listed[0]).not.toHaveProperty('hash');
    const revoked = await run('revoke', acme.id);
    expect(revoked).toMatchObject({ code: 0, out: expect.stringContaining(`revoked ${acme.id} (partner-acme) at `) });
    expect(JSON.parse((await run('list', '--partner', 'partner-acme', '--json')).out)).toEqual([expect.objectContaining({ status: 'revoked' })]);
  });

  it('refuses a third active key for a partner, naming the two to revoke', async () => {
    await run('create', '--tenant', 'acme', '--scopes', 'orders:read');
    await run('create', '--tenant', 'acme', '--scopes', 'orders:read');
    const third = await run('create', '--tenant', 'acme', '--scopes', 'orders:read');
    expect(third.code).toBe(1);
    expect(third.out).toBe('');
    expect(third.err).toMatch(/partner-acme already has 2 active keys \([a-z0-9]{16}, [a-z0-9]{16}\); revoke one/);
  });

  it('explains usage errors with exit code 2, refusals with 1', async () => {
    for (const argv of [[], ['nope'], ['create', '--scopes', 'orders:read'], ['create', '--tenant', 'acme'], ['revoke'], ['create', '--tenant', 'acme', '--scopes', 'orders:read', '--expires', 'soon'], ['list', '--bogus']]) {
      const result = await run(...argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.err).toContain('usage: npm run partner-keys');
    }
    const badScope = await run('create', '--tenant', 'acme', '--scopes', 'orders:read,admin');
    expect(badScope).toMatchObject({ code: 1, err: expect.stringContaining('unknown scope(s) admin') });
    expect(await run('revoke', 'aaaaaaaaaaaaaaaa')).toMatchObject({ code: 1, err: expect.stringContaining('no key with id') });
    expect((await run('--help')).out).toContain('create --tenant');
  });

  it('works over Redis when REDIS_URL is set', async () => {
    const redis = await startRedisServer();
    try {
      env = { REDIS_URL: redis.url };
      const key = (await run('create', '--tenant', 'globex', '--scopes', 'catalog:read')).out.trim();
      const repository = createApiKeyRepository({ redisUrl: redis.url });
      await repository.ready();
      expect(await new ApiKeyService(repository).verify(key)).toMatchObject({ ok: true, key: { tenant: 'globex' } });
      await repository.close();
      expect(JSON.parse((await run('list', '--json')).out)).toHaveLength(1);
    } finally {
      await redis.stop();
    }
  });
});

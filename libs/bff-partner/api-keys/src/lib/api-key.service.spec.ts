import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryStateStore, RedisStateStore } from '@edge/state';
import { startRedisServer, type RedisServer } from '@edge/testing';
import { PARTNER_SCOPES } from '@edge/contracts-partner';
import { apiKeyId, hashApiKey } from './api-key';
import { API_KEY_SCOPES } from './api-key.record';
import type { ApiKeyRepository } from './api-key.repository';
import { ApiKeyStoreError } from './api-key-store.error';
import { ApiKeyAdminError, ApiKeyService } from './api-key.service';
import { BFF_PARTNER_STATE_PREFIX } from './create-api-key-repository';
import { FileApiKeyRepository } from './file-api-key.repository';
import { StateApiKeyRepository } from './state-api-key.repository';

interface Adapter {
  name: string;
  /** Whether two repositories exclude each other (separate processes); the memory store lives in one. */
  crossProcessLock: boolean;
  /** Two repositories over the same storage: the BFF's and the CLI's. */
  open(): { reader: ApiKeyRepository; writer: ApiKeyRepository };
}

let dir: string;
let redis: RedisServer;
const stores: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'partner-keys-'));
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

let fileCount = 0;
const adapters: Adapter[] = [
  {
    name: 'JSON file',
    crossProcessLock: true,
    open: () => {
      const file = path.join(dir, `keys-${++fileCount}.json`);
      return { reader: new FileApiKeyRepository(file), writer: new FileApiKeyRepository(file) };
    },
  },
  {
    name: 'memory state store',
    crossProcessLock: false,
    open: () => {
      const store = new MemoryStateStore();
      return { reader: new StateApiKeyRepository(store), writer: new StateApiKeyRepository(store) };
    },
  },
  {
    name: 'Redis',
    crossProcessLock: true,
    open: () => {
      const prefix = `${BFF_PARTNER_STATE_PREFIX}${++fileCount}:`;
      const a = new RedisStateStore({ url: redis.url, keyPrefix: prefix });
      const b = new RedisStateStore({ url: redis.url, keyPrefix: prefix });
      stores.push(a, b);
      return { reader: new StateApiKeyRepository(a), writer: new StateApiKeyRepository(b) };
    },
  },
];

describe.each(adapters)('ApiKeyService over the $name', (adapter) => {
  let now: number;
  let bff: ApiKeyService;
  let cli: ApiKeyService;

  beforeEach(async () => {
    now = Date.parse('2026-05-01T10:00:00Z');
    const { reader, writer } = adapter.open();
    await Promise.all([reader.ready(), writer.ready()]);
    bff = new ApiKeyService(reader, { now: () => now });
    cli = new ApiKeyService(writer, { now: () => now });
  });

  it('creates a pk_<id>_<secret> key, stores only its hash, and verifies it from another process', async () => {
    const { key, record } = await cli.create({ tenant: 'acme', scopes: ['orders:read', 'orders:write'], label: 'ERP' });
    expect(key).toMatch(/^pk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ id: apiKeyId(key), partner: 'partner-acme', tenant: 'acme', scopes: ['orders:read', 'orders:write'], status: 'active', label: 'ERP' });
    expect(record).not.toHaveProperty('hash');
    const verified = await bff.verify(key);
    expect(verified).toEqual({ ok: true, key: { id: record.id, partner: 'partner-acme', tenant: 'acme', scopes: new Set(['orders:read', 'orders:write']), expiresAt: undefined } });
  });

  it('refuses malformed, unknown and wrong-secret keys, revealing nothing about the id', async () => {
    const { key } = await cli.create({ tenant: 'acme', scopes: ['orders:read'] });
    for (const bad of ['', 'secret', `${key}x`, key.slice(0, -1), key.replace('pk_', 'sk_'), `pk_${'a'.repeat(16)}_${'b'.repeat(200)}`]) {
      expect(await bff.verify(bad)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(await bff.verify(`pk_${'0'.repeat(16)}_${'A'.repeat(43)}`)).toEqual({ ok: false, reason: 'unknown' });
    const wrongSecret = `${key.slice(0, 20)}${key.at(20) === 'A' ? 'B' : 'A'}${key.slice(21)}`;
    expect(await bff.verify(wrongSecret)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('revokes at once, and tells only the key holder that the key was revoked', async () => {
    const { key, record } = await cli.create({ tenant: 'acme', scopes: ['orders:read'] });
    expect((await bff.verify(key)).ok).toBe(true);
    const revoked = await cli.revoke(record.id);
    expect(revoked.status).toBe('revoked');
    expect(await bff.verify(key)).toEqual({ ok: false, reason: 'revoked' });
    now += 1000;
    expect((await cli.revoke(record.id)).revokedAt).toBe(revoked.revokedAt);
    await expect(cli.revoke('nosuchkey0000000')).rejects.toMatchObject({ reason: 'not-found' });
  });

  it('expires keys at their expiry', async () => {
    const { key } = await cli.create({ tenant: 'globex', scopes: ['catalog:read'], expiresAt: new Date(now + 60_000) });
    expect(await bff.verify(key)).toMatchObject({ ok: true, key: { partner: 'partner-globex', expiresAt: now + 60_000 } });
    now += 60_000;
    expect(await bff.verify(key)).toEqual({ ok: false, reason: 'expired' });
    expect((await cli.list({ tenant: 'globex' }))[0]?.status).toBe('expired');
  });

  it('lets two keys of a partner be active at once for rotation, not three', async () => {
    const old = await cli.create({ tenant: 'acme', scopes: ['orders:read'] });
    now += 1000;
    const fresh = await cli.create({ tenant: 'acme', scopes: ['orders:read'] });
    expect((await bff.verify(old.key)).ok).toBe(true);
    expect((await bff.verify(fresh.key)).ok).toBe(true);
    await expect(cli.create({ tenant: 'acme', scopes: ['orders:read'] })).rejects.toMatchObject({ reason: 'too-many-active' });
    // Another partner is not affected.
    await cli.create({ tenant: 'globex', scopes: ['orders:read'] });
    await cli.revoke(old.record.id);
    expect(await bff.verify(old.key)).toEqual({ ok: false, reason: 'revoked' });
    expect((await bff.verify(fresh.key)).ok).toBe(true);
    await cli.create({ tenant: 'acme', scopes: ['orders:read'] });
    expect((await cli.list({ partner: 'partner-acme' })).map((k) => k.status)).toEqual(['revoked', 'active', 'active']);
  });

  it('holds the rotation limit under concurrent creates', async () => {
    // Through two repositories where the lock spans processes (as two CLI runs would).
    const services = adapter.crossProcessLock ? [cli, bff] : [cli];
    const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => (services[i % services.length] as ApiKeyService).create({ tenant: 'acme', scopes: ['orders:read'] })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ reason: 'too-many-active' }),
      expect.objectContaining({ reason: 'too-many-active' }),
    ]);
  });

  it('reports every invalid field of a create at once', async () => {
    const error: ApiKeyAdminError = await cli
      .create({ tenant: 'Acme Corp', partner: 'x y', scopes: ['orders:read', 'profile:read'], expiresAt: new Date(now - 1), label: '\n' })
      .then(() => undefined as never, (e: ApiKeyAdminError) => e);
    expect(error.reason).toBe('invalid-input');
    for (const part of ['tenant', 'partner', 'profile:read', 'expiry', 'label']) expect(error.message).toContain(part);
    await expect(cli.create({ tenant: 'acme', scopes: [] })).rejects.toMatchObject({ reason: 'invalid-input' });
  });
});

describe('FileApiKeyRepository', () => {
  it('writes the file with mode 0600 and never the plain key', async () => {
    const file = path.join(dir, 'secrecy.json');
    const service = new ApiKeyService(new FileApiKeyRepository(file));
    const { key } = await service.create({ tenant: 'acme', scopes: ['orders:read'] });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(20));
    expect(text).toContain(hashApiKey(key));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a malformed file instead of trusting part of it', async () => {
    const file = path.join(dir, 'broken.json');
    const repository = new FileApiKeyRepository(file);
    writeFileSync(file, '{"version":1,"keys":[{"id":"x"}]}');
    await expect(repository.get('x')).rejects.toBeInstanceOf(ApiKeyStoreError);
    writeFileSync(file, 'not json');
    await expect(repository.list()).rejects.toBeInstanceOf(ApiKeyStoreError);
  });

  it('breaks a lock left by a crashed writer, and waits for a live one', async () => {
    const file = path.join(dir, 'locked.json');
    writeFileSync(`${file}.lock`, '12345');
    const patient = new FileApiKeyRepository(file, { lockTimeoutMs: 100, staleLockMs: 60_000 });
    await expect(patient.exclusive(async () => 'done')).rejects.toBeInstanceOf(ApiKeyStoreError);
    const breaker = new FileApiKeyRepository(file, { staleLockMs: 0 });
    await new Promise((r) => setTimeout(r, 5));
    await expect(breaker.exclusive(async () => 'done')).resolves.toBe('done');
  });
});

describe('StateApiKeyRepository', () => {
  it('reports Redis being down as a store error', async () => {
    const down = await startRedisServer();
    const store = new RedisStateStore({ url: down.url, keyPrefix: BFF_PARTNER_STATE_PREFIX });
    await down.stop();
    const service = new ApiKeyService(new StateApiKeyRepository(store));
    await expect(service.verify(`pk_${'0'.repeat(16)}_${'A'.repeat(43)}`)).rejects.toBeInstanceOf(ApiKeyStoreError);
    await store.close();
  });
});

describe('API_KEY_SCOPES', () => {
  it('are exactly the partner scopes of the published contract', () => {
    expect([...API_KEY_SCOPES].sort()).toEqual([...PARTNER_SCOPES].sort());
  });
});

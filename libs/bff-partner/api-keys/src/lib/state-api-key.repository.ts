import type { StateStore } from '@edge/state';
import { isApiKeyRecord, type ApiKeyRecord } from './api-key.record';
import type { ApiKeyRepository } from './api-key.repository';
import { ApiKeyStoreError } from './api-key-store.error';

/** Records are kept (revoked and expired ones too, for the audit trail) this long. */
const RETENTION_MS = 10 * 365 * 24 * 3600 * 1000;
const LOCK_TTL_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const recordKey = (id: string) => `partner-keys:key:${id}`;
const INDEX = 'partner-keys:index';
const WRITE_LOCK = 'partner-keys:write';

/**
 * Shared adapter over the state port: Redis when REDIS_URL is set, so every BFF instance and
 * the CLI see the same keys (the memory adapter serves tests). One record per key plus an
 * index set for listing.
 */
export class StateApiKeyRepository implements ApiKeyRepository {
  readonly description: string;
  /** Writers of this process queue here first: the lock alone is only as atomic as the adapter's setIfAbsent. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: StateStore,
    private readonly options: { closeStore?: boolean; lockTimeoutMs?: number } = {},
  ) {
    this.description = `${store.kind} state store`;
  }

  async ready(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.store.ping())) {
      if (Date.now() > deadline) throw new ApiKeyStoreError(`the ${this.store.kind} state store is not reachable`);
      await sleep(25);
    }
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const text = await this.guard(() => this.store.get(recordKey(id)));
    if (text === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isApiKeyRecord(parsed)) throw new ApiKeyStoreError(`key record ${id} is malformed`);
    return parsed;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const ids = await this.guard(() => this.store.setMembers(INDEX));
    const records = await Promise.all(ids.sort().map((id) => this.get(id)));
    return records.filter((r): r is ApiKeyRecord => r !== undefined);
  }

  async put(record: ApiKeyRecord): Promise<void> {
    await this.guard(async () => {
      await this.store.set(recordKey(record.id), JSON.stringify(record), RETENTION_MS);
      await this.store.addToSet(INDEX, record.id, RETENTION_MS);
    });
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writes.then(() => this.locked(fn));
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.options.lockTimeoutMs ?? 3000);
    let token: string | undefined;
    while ((token = await this.guard(() => this.store.acquireLock(WRITE_LOCK, LOCK_TTL_MS))) === undefined) {
      if (Date.now() > deadline) throw new ApiKeyStoreError('the key store is locked by another writer');
      await sleep(20);
    }
    try {
      return await fn();
    } finally {
      await this.store.releaseLock(WRITE_LOCK, token).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.options.closeStore) await this.store.close();
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (cause) {
      if (cause instanceof ApiKeyStoreError) throw cause;
      throw new ApiKeyStoreError(`the key store is unavailable: ${(cause as Error).message}`, { cause });
    }
  }
}

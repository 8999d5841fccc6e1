import type { ApiKeyRecord } from './api-key.record';

/**
 * Port: where key records live. Two adapters — a JSON file (development, one machine) and the
 * shared state store (Redis with REDIS_URL) — chosen once by createApiKeyRepository. The
 * partner BFF reads through it on every API-key request; the partner-keys CLI writes.
 */
export interface ApiKeyRepository {
  /** Where the records are, for messages ("file tmp/partner-keys.json", "redis"). */
  readonly description: string;
  /** Resolves once the storage can be used (Redis connected), or throws ApiKeyStoreError after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  /** Inserts or replaces the record with this id. */
  put(record: ApiKeyRecord): Promise<void>;
  /**
   * Runs `fn` while holding the store's write lock (across processes), so that checks made
   * in it (e.g. "at most two active keys per partner") still hold when it writes.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The scopes a key can carry: the partner scopes of the contract (a spec checks they agree).
 * Kept here so that the key store and its CLI load without the contract's DTO classes.
 */
export const API_KEY_SCOPES = ['catalog:read', 'orders:read', 'orders:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** What the store keeps of a key: never the key, only its hash. */
export interface ApiKeyRecord {
  /** Public id (the `<id>` of `pk_<id>_<secret>`). */
  readonly id: string;
  /** The partner (its OAuth client id, e.g. partner-acme) the key acts as. */
  readonly partner: string;
  readonly tenant: string;
  readonly scopes: readonly ApiKeyScope[];
  /** SHA-256 of the whole key, hex. */
  readonly hash: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
  /** Free text for operators ("ERP integration, rotated 2026-05"). */
  readonly label?: string;
}

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

export function apiKeyStatus(record: ApiKeyRecord, now: number): ApiKeyStatus {
  if (record.revokedAt !== undefined) return 'revoked';
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now) return 'expired';
  return 'active';
}

/** A record as operators see it: status computed, hash left out. */
export type ApiKeyView = Omit<ApiKeyRecord, 'hash'> & { readonly status: ApiKeyStatus };

export function apiKeyView(record: ApiKeyRecord, now: number): ApiKeyView {
  const { hash: _hash, ...rest } = record;
  return { ...rest, status: apiKeyStatus(record, now) };
}

const ID = /^[a-z0-9]{16}$/;
const HASH = /^[0-9a-f]{64}$/;

/** Records come from a file an operator may have edited: anything malformed is rejected, not half-trusted. */
export function isApiKeyRecord(value: unknown): value is ApiKeyRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const optionalDate = (v: unknown) => v === undefined || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
  return (
    typeof r['id'] === 'string' &&
    ID.test(r['id']) &&
    typeof r['partner'] === 'string' &&
    typeof r['tenant'] === 'string' &&
    Array.isArray(r['scopes']) &&
    r['scopes'].every((s) => typeof s === 'string') &&
    typeof r['hash'] === 'string' &&
    HASH.test(r['hash']) &&
    typeof r['createdAt'] === 'string' &&
    optionalDate(r['expiresAt']) &&
    optionalDate(r['revokedAt']) &&
    (r['label'] === undefined || typeof r['label'] === 'string')
  );
}

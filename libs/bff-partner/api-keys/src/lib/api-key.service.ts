import { apiKeyId, generateApiKey, matchesHash } from './api-key';
import { API_KEY_SCOPES, apiKeyStatus, apiKeyView, isApiKeyScope, type ApiKeyRecord, type ApiKeyScope, type ApiKeyView } from './api-key.record';
import type { ApiKeyRepository } from './api-key.repository';

export interface CreateApiKeyInput {
  tenant: string;
  /** The partner client the key acts as; default `partner-<tenant>`. */
  partner?: string;
  scopes: readonly string[];
  expiresAt?: Date;
  label?: string;
}

/** A key that passed every check: who it is and what it may do. */
export interface VerifiedApiKey {
  readonly id: string;
  readonly partner: string;
  readonly tenant: string;
  readonly scopes: ReadonlySet<ApiKeyScope>;
  /** Epoch ms, when the key expires. */
  readonly expiresAt: number | undefined;
}

/** Why a presented key was refused (stable: the guard and the tests branch on it). */
export type ApiKeyRejection = 'malformed' | 'unknown' | 'revoked' | 'expired';

export type ApiKeyVerification = { ok: true; key: VerifiedApiKey } | { ok: false; reason: ApiKeyRejection };

/** A request the CLI (or an admin) made that cannot be carried out; the message says why. */
export class ApiKeyAdminError extends Error {
  constructor(
    readonly reason: 'invalid-input' | 'too-many-active' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'ApiKeyAdminError';
  }
}

export interface ApiKeyServiceOptions {
  /** Active keys a partner may hold at once: 2 lets a new key overlap the old one during rotation. */
  maxActivePerPartner?: number;
  now?: () => number;
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const LABEL = /^[\x20-\x7e]{1,200}$/;

/**
 * Creating, listing, revoking and verifying partner API keys over one repository. The plain
 * key exists only in the return value of `create`; everything else sees its hash.
 */
export class ApiKeyService {
  private readonly maxActive: number;
  private readonly now: () => number;

  constructor(
    private readonly repository: ApiKeyRepository,
    options: ApiKeyServiceOptions = {},
  ) {
    this.maxActive = options.maxActivePerPartner ?? 2;
    this.now = options.now ?? Date.now;
  }

  /** Checks every field (all problems at once), then stores the hash; the plain key is returned once. */
  async create(input: CreateApiKeyInput): Promise<{ key: string; record: ApiKeyView }> {
    const partner = input.partner ?? `partner-${input.tenant}`;
    const problems: string[] = [];
    if (!NAME.test(input.tenant)) problems.push('tenant must be a tenant name ([a-z][a-z0-9-]*)');
    if (!NAME.test(partner)) problems.push('partner must be a client id ([a-z][a-z0-9-]*)');
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) problems.push(`scopes must name at least one of ${API_KEY_SCOPES.join(', ')}`);
    const unknown = scopes.filter((s) => !isApiKeyScope(s));
    if (unknown.length > 0) problems.push(`unknown scope(s) ${unknown.join(', ')} (known: ${API_KEY_SCOPES.join(', ')})`);
    const now = this.now();
    if (input.expiresAt !== undefined && !(input.expiresAt.getTime() > now)) problems.push('expiry must be in the future');
    if (input.label !== undefined && !LABEL.test(input.label)) problems.push('label must be 1-200 printable ASCII characters');
    if (problems.length > 0) throw new ApiKeyAdminError('invalid-input', problems.join('; '));

    return this.repository.exclusive(async () => {
      const active = (await this.repository.list()).filter((r) => r.partner === partner && apiKeyStatus(r, now) === 'active');
      if (active.length >= this.maxActive) {
        throw new ApiKeyAdminError(
          'too-many-active',
          `${partner} already has ${active.length} active keys (${active.map((r) => r.id).join(', ')}); revoke one before creating another`,
        );
      }
      const generated = generateApiKey();
      const record: ApiKeyRecord = {
        id: generated.id,
        partner,
        tenant: input.tenant,
        scopes: scopes as ApiKeyScope[],
        hash: generated.hash,
        createdAt: new Date(now).toISOString(),
        ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt.toISOString() } : {}),
        ...(input.label !== undefined ? { label: input.label } : {}),
      };
      await this.repository.put(record);
      return { key: generated.key, record: apiKeyView(record, now) };
    });
  }

  async list(filter: { partner?: string; tenant?: string } = {}): Promise<ApiKeyView[]> {
    const now = this.now();
    return (await this.repository.list())
      .filter((r) => (filter.partner === undefined || r.partner === filter.partner) && (filter.tenant === undefined || r.tenant === filter.tenant))
      .sort((a, b) => a.partner.localeCompare(b.partner) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map((r) => apiKeyView(r, now));
  }

  /** Revokes at once (the next request with the key is refused); revoking twice keeps the first time. */
  async revoke(id: string): Promise<ApiKeyView> {
    return this.repository.exclusive(async () => {
      const record = await this.repository.get(id);
      if (!record) throw new ApiKeyAdminError('not-found', `no key with id ${id}`);
      const now = this.now();
      if (record.revokedAt !== undefined) return apiKeyView(record, now);
      const revoked: ApiKeyRecord = { ...record, revokedAt: new Date(now).toISOString() };
      await this.repository.put(revoked);
      return apiKeyView(revoked, now);
    });
  }

  /**
   * Checks a presented key. A wrong secret for a known id is `unknown`, like an unknown id:
   * only the holder of the right key learns that it was revoked or has expired.
   */
  async verify(key: string): Promise<ApiKeyVerification> {
    const id = apiKeyId(key);
    if (id === undefined) return { ok: false, reason: 'malformed' };
    const record = await this.repository.get(id);
    if (!record || !matchesHash(key, record.hash)) return { ok: false, reason: 'unknown' };
    const status = apiKeyStatus(record, this.now());
    if (status !== 'active') return { ok: false, reason: status };
    return {
      ok: true,
      key: {
        id: record.id,
        partner: record.partner,
        tenant: record.tenant,
        scopes: new Set(record.scopes),
        expiresAt: record.expiresAt === undefined ? undefined : Date.parse(record.expiresAt),
      },
    };
  }
}

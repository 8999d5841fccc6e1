import path from 'node:path';
import { createStateStore, type StateStore } from '@edge/state';
import type { ApiKeyRepository } from './api-key.repository';
import { FileApiKeyRepository } from './file-api-key.repository';
import { StateApiKeyRepository } from './state-api-key.repository';

/** The Redis key prefix of everything the partner BFF keeps (its CLI must use the same). */
export const BFF_PARTNER_STATE_PREFIX = 'edge:bff-partner:';
/** Development default, relative to the working directory (the workspace root; tmp/ is git-ignored). */
export const DEFAULT_PARTNER_KEYS_FILE = 'tmp/partner-keys.json';

export interface ApiKeyRepositorySettings {
  /** With a URL, keys live in Redis (shared by every instance); otherwise in the file. */
  redisUrl?: string;
  /** The JSON file of development (default tmp/partner-keys.json). */
  file?: string;
  /** An already open state store to use instead of opening one for `redisUrl` (the app's own). */
  store?: StateStore;
}

/** The adapter is chosen once: Redis when configured, else the JSON file. */
export function createApiKeyRepository(settings: ApiKeyRepositorySettings): ApiKeyRepository {
  if (settings.store && settings.store.kind === 'redis') return new StateApiKeyRepository(settings.store);
  if (settings.redisUrl) return new StateApiKeyRepository(createStateStore({ redisUrl: settings.redisUrl, keyPrefix: BFF_PARTNER_STATE_PREFIX }), { closeStore: true });
  return new FileApiKeyRepository(path.resolve(settings.file ?? DEFAULT_PARTNER_KEYS_FILE));
}

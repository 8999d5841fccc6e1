import { MemoryStateStore } from './memory-state-store';
import { RedisStateStore } from './redis-state-store';
import type { StateStore } from './state-store';

/** The adapter is chosen once: Redis when a URL is configured, memory otherwise. */
export function createStateStore(options: { redisUrl?: string; keyPrefix?: string }): StateStore {
  return options.redisUrl ? new RedisStateStore({ url: options.redisUrl, keyPrefix: options.keyPrefix }) : new MemoryStateStore();
}

import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { StateUnavailableError, type RateDecision, type RateSpec, type StateStore } from './state-store';

// GCRA in Lua (same arithmetic as gcra.ts) so N instances share one bucket atomically.
// Uses the Redis server's clock, so instance clocks do not matter.
const GCRA_LUA = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local spend = ARGV[4] == '1'
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = period / limit
local tat = tonumber(redis.call('GET', key))
local base = now
if tat and tat > now then base = tat end
local nxt = base + cost * interval
local allow_at = nxt - period
if cost > limit or allow_at > now then
  local remaining = math.floor((period - (base - now)) / interval)
  if remaining < 0 then remaining = 0 end
  local retry = math.ceil(allow_at - now)
  if cost > limit then retry = period end
  return {0, remaining, math.ceil(base - now), retry}
end
local after = base
if spend then
  after = nxt
  redis.call('SET', key, tostring(nxt), 'PX', math.ceil(nxt - now))
end
local remaining = math.floor((period - (after - now)) / interval)
if remaining < 0 then remaining = 0 end
return {1, remaining, math.ceil(after - now), 0}
`;

const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface RedisStateOptions {
  url: string;
  keyPrefix?: string;
  /** How long a command may wait before the store is treated as unavailable. */
  commandTimeoutMs?: number;
}

/**
 * Redis adapter. Commands fail fast while Redis is unreachable (no offline queue, short
 * timeouts) so callers can apply their documented fail-open / fail-closed choice; the
 * client reconnects by itself, so recovery needs no restart.
 */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;

  constructor(options: RedisStateOptions) {
    // Loaded on first use: an app without REDIS_URL never loads ioredis (several MB of RSS).
    const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
    this.redis = new RedisClient(options.url, {
      keyPrefix: options.keyPrefix ?? 'edge:',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 1000,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    this.redis.on('error', () => undefined); // state changes are observed through failing commands and ping()
    this.redis.defineCommand('edgeGcra', { numberOfKeys: 1, lua: GCRA_LUA });
    this.redis.defineCommand('edgeRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
  }

  private async run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      throw new StateUnavailableError(`redis unavailable: ${(error as Error).message}`, { cause: error });
    }
  }

  private async rate(key: string, spec: RateSpec, spend: boolean): Promise<RateDecision> {
    const gcra = (this.redis as unknown as { edgeGcra: (...a: unknown[]) => Promise<number[]> }).edgeGcra;
    const [allowed, remaining, resetMs, retryAfterMs] = await this.run(() =>
      gcra.call(this.redis, `rl:${key}`, spec.limit, spec.periodMs, spec.cost ?? 1, spend ? '1' : '0'),
    );
    return { allowed: allowed === 1, limit: spec.limit, remaining: remaining as number, resetMs: resetMs as number, retryAfterMs: retryAfterMs as number };
  }

  consume(key: string, spec: RateSpec): Promise<RateDecision> {
    return this.rate(key, spec, true);
  }

  peek(key: string, spec: RateSpec): Promise<RateDecision> {
    return this.rate(key, spec, false);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.run(() => this.redis.get(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run(() => this.redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs))));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.run(() => this.redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'))) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.redis.del(key));
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.setIfAbsent(`lock:${key}`, token, ttlMs)) ? token : undefined;
  }

  async releaseLock(key: string, token: string): Promise<void> {
    const release = (this.redis as unknown as { edgeRelease: (...a: unknown[]) => Promise<number> }).edgeRelease;
    await this.run(() => release.call(this.redis, `lock:${key}`, token));
  }

  async addToSet(key: string, member: string, ttlMs: number): Promise<void> {
    await this.run(() => this.redis.multi().sadd(key, member).pexpire(key, Math.ceil(ttlMs)).exec());
  }

  async setMembers(key: string): Promise<string[]> {
    return this.run(() => this.redis.smembers(key));
  }

  /** A sorted set scored by expiry; expired members are trimmed on every add. */
  async addToIndex(key: string, member: string, memberTtlMs: number, ttlMs: number): Promise<void> {
    const now = Date.now();
    const keyTtl = Math.ceil(Math.max(ttlMs, memberTtlMs));
    await this.run(() =>
      this.redis
        .multi()
        .zadd(key, now + memberTtlMs, member)
        .zremrangebyscore(key, '-inf', now)
        // NX sets a TTL on a new index, GT only ever extends it (Redis 7).
        .call('PEXPIRE', key, keyTtl, 'NX')
        .call('PEXPIRE', key, keyTtl, 'GT')
        .exec(),
    );
  }

  async indexMembers(key: string): Promise<string[]> {
    return this.run(() => this.redis.zrangebyscore(key, `(${Date.now()}`, '+inf'));
  }

  async removeFromIndex(key: string, members: readonly string[]): Promise<void> {
    if (members.length > 0) await this.run(() => this.redis.zrem(key, ...members));
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

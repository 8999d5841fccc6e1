import { randomUUID } from 'node:crypto';
import { gcra } from './gcra';
import type { RateDecision, RateSpec, StateStore } from './state-store';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * One-instance state. Expired entries are dropped lazily and by a periodic sweep; the
 * number of entries is bounded so a flood of distinct keys cannot exhaust memory (the
 * oldest entries go first).
 */
export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  private readonly values = new Map<string, Entry>();
  private readonly buckets = new Map<string, { tat: number; expiresAt: number }>();
  private readonly sets = new Map<string, { members: Set<string>; expiresAt: number }>();
  private readonly indexes = new Map<string, { members: Map<string, number>; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly maxEntries = 1_000_000,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  async consume(key: string, spec: RateSpec): Promise<RateDecision> {
    return this.rate(key, spec, true);
  }

  async peek(key: string, spec: RateSpec): Promise<RateDecision> {
    return this.rate(key, spec, false);
  }

  private rate(key: string, spec: RateSpec, spend: boolean): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tat = bucket && bucket.expiresAt > now ? bucket.tat : undefined;
    const { decision, newTat } = gcra(tat, now, spec, spend);
    if (newTat !== undefined) {
      this.buckets.delete(key); // re-insert: Map order doubles as LRU order for eviction
      this.buckets.set(key, { tat: newTat, expiresAt: newTat });
      this.bound(this.buckets);
    }
    return decision;
  }

  async get(key: string): Promise<string | undefined> {
    return this.read(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
  }

  /** Check and set with no await in between: concurrent callers cannot both win. */
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.read(key) !== undefined) return false;
    this.write(key, value, ttlMs);
    return true;
  }

  private read(key: string): string | undefined {
    const e = this.values.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    return e.value;
  }

  private write(key: string, value: string, ttlMs: number): void {
    this.values.delete(key);
    this.values.set(key, { value, expiresAt: this.now() + ttlMs });
    this.bound(this.values);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.sets.delete(key);
    this.indexes.delete(key);
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.setIfAbsent(`lock:${key}`, token, ttlMs)) ? token : undefined;
  }

  async releaseLock(key: string, token: string): Promise<void> {
    if (this.read(`lock:${key}`) === token) this.values.delete(`lock:${key}`);
  }

  async addToSet(key: string, member: string, ttlMs: number): Promise<void> {
    const now = this.now();
    const existing = this.sets.get(key);
    const set = existing && existing.expiresAt > now ? existing.members : new Set<string>();
    set.add(member);
    this.sets.set(key, { members: set, expiresAt: now + ttlMs });
    this.bound(this.sets);
  }

  async setMembers(key: string): Promise<string[]> {
    const e = this.sets.get(key);
    if (!e || e.expiresAt <= this.now()) return [];
    return [...e.members];
  }

  async addToIndex(key: string, member: string, memberTtlMs: number, ttlMs: number): Promise<void> {
    const now = this.now();
    const existing = this.indexes.get(key);
    const live = existing && existing.expiresAt > now ? existing : undefined;
    const members = live?.members ?? new Map<string, number>();
    members.delete(member); // re-inserted last: insertion order stays expiry order for equal TTLs
    members.set(member, now + memberTtlMs);
    this.indexes.set(key, { members, expiresAt: Math.max(live?.expiresAt ?? 0, now + Math.max(ttlMs, memberTtlMs)) });
    this.bound(this.indexes);
  }

  async indexMembers(key: string): Promise<string[]> {
    const now = this.now();
    const e = this.indexes.get(key);
    if (!e || e.expiresAt <= now) return [];
    const members: string[] = [];
    for (const [member, expiresAt] of e.members) if (expiresAt > now) members.push(member);
    return members;
  }

  async removeFromIndex(key: string, members: readonly string[]): Promise<void> {
    const e = this.indexes.get(key);
    if (e) for (const m of members) e.members.delete(m);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private bound(map: Map<string, unknown>): void {
    while (map.size > this.maxEntries) {
      const oldest = map.keys().next().value as string;
      map.delete(oldest);
    }
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, e] of this.values) if (e.expiresAt <= now) this.values.delete(k);
    for (const [k, e] of this.buckets) if (e.expiresAt <= now) this.buckets.delete(k);
    for (const [k, e] of this.sets) if (e.expiresAt <= now) this.sets.delete(k);
    for (const [k, e] of this.indexes) {
      if (e.expiresAt <= now) this.indexes.delete(k);
      else for (const [m, expiresAt] of e.members) if (expiresAt <= now) e.members.delete(m);
    }
  }
}

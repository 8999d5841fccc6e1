import { createHash, randomUUID } from 'node:crypto';
import { problem } from '@edge/problem-details';
import { StateUnavailableError, type StateStore } from '@edge/state';

/** A response as it was first produced, replayed for retries with the same key. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface IdempotencyOptions {
  /** How long a completed key is remembered. Default 24 h. */
  ttlMs?: number;
  /** How long a reservation holds when its owner dies mid-request (then the key is free again). Default 60 s. */
  leaseMs?: number;
  /** How often a duplicate checks whether the first request has finished. Default 25 ms. */
  pollMs?: number;
}

export interface ExecuteOptions {
  /** Epoch ms: a duplicate stops waiting for the first request then (409, retry later). */
  deadline?: number;
  signal?: AbortSignal;
}

type Record_ =
  | { state: 'pending'; fingerprint: string; owner: string }
  | { state: 'done'; fingerprint: string; response: StoredResponse };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Idempotent commands over the state port, so that every instance sharing Redis agrees:
 * - the first request with a key reserves it (set-if-absent) and runs; a 2xx outcome is
 *   stored for `ttlMs`; anything else (4xx, 5xx, a thrown error) frees the key, so a retry
 *   runs again (commands are forwarded with the key, so the domain service dedupes too);
 * - the same key with the same fingerprint → the stored response, marked replayed;
 * - the same key with another fingerprint → 422 idempotency-key-reused (while the first is
 *   still pending too, once this instance's own run of that key has finished);
 * - a duplicate arriving while the first still runs waits for it (on any instance) and
 *   replays its outcome: concurrent duplicates create one resource and both callers get the
 *   same answer; past its deadline the duplicate gets 409 with Retry-After instead.
 * Within one process, duplicates also queue locally, which keeps the guarantee even over an
 * adapter whose set-if-absent is not atomic under concurrency. The state store being down
 * fails closed (503): the edge cannot promise idempotency without it.
 */
export class IdempotencyStore {
  private readonly ttlMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly local = new Map<string, Promise<void>>();

  constructor(
    private readonly store: StateStore,
    options: IdempotencyOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 24 * 3600 * 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 25;
  }

  /**
   * Runs `work` at most once per (scope, key) while the key is remembered. `scope` keeps
   * callers apart (tenant and partner): the same key from two partners is two keys.
   */
  async execute(scope: string, key: string, fingerprint: string, work: () => Promise<StoredResponse>, options: ExecuteOptions = {}): Promise<{ response: StoredResponse; replayed: boolean }> {
    const id = `idem:${createHash('sha256').update(`${scope}\u0000${key}`).digest('base64url')}`;
    for (;;) {
      const running = this.local.get(id);
      if (running) {
        await running;
        continue;
      }
      let finished: () => void = () => undefined;
      this.local.set(id, new Promise<void>((resolve) => (finished = resolve)));
      try {
        const owner = randomUUID();
        const reserved = await this.state(() => this.store.setIfAbsent(id, JSON.stringify({ state: 'pending', fingerprint, owner } satisfies Record_), this.leaseMs));
        if (reserved) return { response: await this.runFirst(id, fingerprint, owner, work), replayed: false };
      } finally {
        this.local.delete(id);
        finished();
      }
      const existing = await this.read(id);
      if (existing === undefined) continue; // expired or released between the two calls
      if (existing.fingerprint !== fingerprint) {
        throw problem('idempotency-key-reused', { detail: 'This Idempotency-Key was already used with a different request.' });
      }
      if (existing.state === 'done') return { response: existing.response, replayed: true };
      await this.waitWhilePending(id, options);
    }
  }

  private async runFirst(id: string, fingerprint: string, owner: string, work: () => Promise<StoredResponse>): Promise<StoredResponse> {
    let response: StoredResponse;
    try {
      response = await work();
    } catch (error) {
      await this.release(id, owner);
      throw error;
    }
    if (response.status >= 200 && response.status < 300) {
      await this.state(() => this.store.set(id, JSON.stringify({ state: 'done', fingerprint, response } satisfies Record_), this.ttlMs));
    } else {
      await this.release(id, owner);
    }
    return response;
  }

  /** Frees a reservation, unless it has expired and someone else holds the key by now. */
  private async release(id: string, owner: string): Promise<void> {
    const current = await this.read(id).catch(() => undefined);
    if (current?.state === 'pending' && current.owner === owner) await this.store.delete(id).catch(() => undefined);
  }

  private async waitWhilePending(id: string, options: ExecuteOptions): Promise<void> {
    for (;;) {
      if (options.signal?.aborted || (options.deadline !== undefined && Date.now() + this.pollMs >= options.deadline)) {
        throw problem('conflict', { detail: 'A request with this Idempotency-Key is still being processed; retry it shortly.', headers: { 'retry-after': '1' } });
      }
      await sleep(this.pollMs, options.signal);
      const current = await this.read(id);
      if (current === undefined || current.state === 'done') return;
    }
  }

  private async read(id: string): Promise<Record_ | undefined> {
    const text = await this.state(() => this.store.get(id));
    return text === undefined ? undefined : (JSON.parse(text) as Record_);
  }

  private async state<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      if (error instanceof StateUnavailableError) {
        throw problem('dependency-unavailable', { detail: 'Idempotency records are unavailable; retry shortly.', headers: { 'retry-after': '1' }, cause: error });
      }
      throw error;
    }
  }
}

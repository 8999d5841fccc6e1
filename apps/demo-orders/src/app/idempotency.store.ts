import { problem } from '@edge/problem-details';

/** A response as it was first sent, replayed for retries with the same key. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

type Entry =
  | { state: 'in-flight'; fingerprint: string; expiresAt: number; settled: Promise<void> }
  | { state: 'done'; fingerprint: string; expiresAt: number; response: StoredResponse };

export interface IdempotencyOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/**
 * Idempotency records for one process (memory; with several instances this belongs in
 * @edge/state's shared store). Semantics:
 * - first request with a key runs; a 2xx outcome is stored for `ttlMs` (24 h);
 * - same key + same request fingerprint → the stored response, marked replayed;
 * - same key + different fingerprint → 422 idempotency-key-reused;
 * - same key while the first is still running → waits for it, then replays its outcome
 *   (exactly one order for concurrent duplicates, and both callers get the same answer);
 * - a failed first attempt (4xx/5xx) stores nothing: waiters and later retries run anew.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: IdempotencyOptions) {
    this.now = options.now ?? Date.now;
  }

  async execute(key: string, fingerprint: string, work: () => Promise<StoredResponse>): Promise<{ response: StoredResponse; replayed: boolean }> {
    for (;;) {
      this.sweep();
      const entry = this.entries.get(key);
      if (!entry) return this.runFirst(key, fingerprint, work);
      if (entry.fingerprint !== fingerprint) {
        throw problem('idempotency-key-reused', { detail: 'This Idempotency-Key was already used with a different request.' });
      }
      if (entry.state === 'done') return { response: entry.response, replayed: true };
      await entry.settled;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private async runFirst(key: string, fingerprint: string, work: () => Promise<StoredResponse>): Promise<{ response: StoredResponse; replayed: boolean }> {
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.entries.set(key, { state: 'in-flight', fingerprint, expiresAt: this.now() + this.options.ttlMs, settled });
    try {
      const response = await work();
      if (response.status >= 200 && response.status < 300) {
        this.entries.set(key, { state: 'done', fingerprint, expiresAt: this.now() + this.options.ttlMs, response });
      } else {
        this.entries.delete(key);
      }
      return { response, replayed: false };
    } catch (error) {
      this.entries.delete(key);
      throw error;
    } finally {
      settle();
    }
  }

  /** Entries are in creation order with one TTL, so expired ones are at the front. */
  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now && this.entries.size <= this.options.maxEntries) break;
      if (entry.state === 'in-flight' && entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}

import { ProxyError } from './proxy-error';

export interface BulkheadSettings {
  max: number;
  queue: number;
  queueTimeoutMs: number;
}

/**
 * Concurrency limit with a short bounded queue: excess is refused at once (503) instead
 * of piling up behind a slow upstream. `tryAcquire` is synchronous on the fast path.
 */
export class Bulkhead {
  private active = 0;
  private readonly waiting: Array<{ resolve: () => void; timer: NodeJS.Timeout }> = [];

  constructor(private readonly settings: BulkheadSettings) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** true: a slot is held; a Promise: queued; throws when the queue is full. */
  acquire(): true | Promise<void> {
    if (this.active < this.settings.max) {
      this.active++;
      return true;
    }
    if (this.waiting.length >= this.settings.queue) throw new ProxyError('overloaded', 'concurrency limit reached', 1);
    return new Promise<void>((resolve, reject) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new ProxyError('overloaded', 'queued too long for a concurrency slot', 1));
        }, this.settings.queueTimeoutMs),
      };
      this.waiting.push(entry);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(); // the slot passes to the next waiter
      return;
    }
    this.active--;
  }
}

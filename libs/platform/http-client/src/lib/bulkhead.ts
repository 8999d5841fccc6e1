/** The bulkhead refused a call: no slot, and the queue was full or the wait too long. */
export class BulkheadRejected extends Error {
  constructor(readonly why: 'queue-full' | 'queue-timeout') {
    super(why === 'queue-full' ? 'bulkhead full' : 'bulkhead queue wait timed out');
    this.name = 'BulkheadRejected';
  }
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
  signal: AbortSignal;
  onAbort(): void;
}

export interface BulkheadOptions {
  maxConcurrent: number;
  maxQueue: number;
  queueTimeoutMs: number;
}

/**
 * A concurrency limit per dependency with a short bounded queue: a slow dependency can hold
 * at most `maxConcurrent` calls (and sockets, and memory) of this process; `maxQueue` more
 * wait up to `queueTimeoutMs`; everything beyond is refused at once, so the caller fails
 * fast instead of piling up behind it.
 */
export class Bulkhead {
  private inFlight = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly options: BulkheadOptions) {}

  get active(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Takes a slot if one is free right now (the common, allocation-free path). */
  tryAcquire(): boolean {
    if (this.inFlight < this.options.maxConcurrent) {
      this.inFlight++;
      return true;
    }
    return false;
  }

  /**
   * Waits for a slot, at most `min(queueTimeoutMs, maxWaitMs)`; rejects with BulkheadRejected
   * when the queue is full or the wait runs out, or with the signal's reason when it aborts.
   */
  acquire(signal: AbortSignal, maxWaitMs: number): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(new BulkheadRejected('queue-full'));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        timer: setTimeout(() => this.abandon(waiter, new BulkheadRejected('queue-timeout')), Math.min(this.options.queueTimeoutMs, maxWaitMs)),
        onAbort: () => this.abandon(waiter, signal.reason),
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Gives the slot to the longest waiter, or frees it. */
  release(): void {
    const next = this.queue.shift();
    if (next === undefined) {
      this.inFlight--;
      return;
    }
    clearTimeout(next.timer);
    next.signal.removeEventListener('abort', next.onAbort);
    next.resolve();
  }

  private abandon(waiter: Waiter, error: unknown): void {
    const index = this.queue.indexOf(waiter);
    if (index === -1) return;
    this.queue.splice(index, 1);
    clearTimeout(waiter.timer);
    waiter.signal.removeEventListener('abort', waiter.onAbort);
    waiter.reject(error);
  }
}

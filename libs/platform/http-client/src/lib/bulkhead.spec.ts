import { Bulkhead, BulkheadRejected } from './bulkhead';

describe('Bulkhead', () => {
  it('admits maxConcurrent at once, queues maxQueue, refuses the rest immediately', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 2, maxQueue: 1, queueTimeoutMs: 1_000 });
    const signal = new AbortController().signal;
    await bulkhead.acquire(signal, 1_000);
    await bulkhead.acquire(signal, 1_000);
    const queued = bulkhead.acquire(signal, 1_000);
    await expect(bulkhead.acquire(signal, 1_000)).rejects.toEqual(new BulkheadRejected('queue-full'));
    expect(bulkhead.queued).toBe(1);
    bulkhead.release();
    await queued;
    expect(bulkhead.active).toBe(2);
    bulkhead.release();
    bulkhead.release();
    expect(bulkhead.active).toBe(0);
  });

  it('gives up waiting after the queue timeout or the caller deadline, whichever is sooner', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 30 });
    const signal = new AbortController().signal;
    expect(bulkhead.tryAcquire()).toBe(true);
    const started = Date.now();
    await expect(bulkhead.acquire(signal, 1_000)).rejects.toMatchObject({ why: 'queue-timeout' });
    expect(Date.now() - started).toBeLessThan(500);
    await expect(bulkhead.acquire(signal, 5)).rejects.toMatchObject({ why: 'queue-timeout' });
    expect(bulkhead.queued).toBe(0);
  });

  it('leaves the queue when the call is aborted, and the slot goes to the next waiter', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 1_000 });
    expect(bulkhead.tryAcquire()).toBe(true);
    const first = new AbortController();
    const abandoned = bulkhead.acquire(first.signal, 1_000);
    const next = bulkhead.acquire(new AbortController().signal, 1_000);
    first.abort(new Error('gone'));
    await expect(abandoned).rejects.toThrow('gone');
    bulkhead.release();
    await next;
    expect(bulkhead.active).toBe(1);
    expect(bulkhead.queued).toBe(0);
  });
});

/** Something with a time limit: `expire()` runs once its `expiresAt` (epoch ms) has passed. */
export interface Expiring {
  readonly expiresAt: number;
  /** Where it sits in its queue; -1 when in none. Owned by the queue. */
  queueIndex: number;
  expire(): void;
}

/**
 * Time limits of in-flight upstream attempts, in one binary heap behind one Node timer armed
 * for the earliest. A `setTimeout` per attempt cost ≈ 2 µs on the hot path (a Timeout object,
 * its list by duration, which differs by the millisecond since it is what is left of the
 * request's deadline, and the removal). Here an attempt costs a push and a removal in a heap
 * as deep as the attempts in flight.
 *
 * Removal does not re-arm the timer: it stays armed for an earlier limit that may be gone,
 * fires then, finds nothing due and arms for the earliest left. So an idle queue holds no
 * timer, and a busy one resets its timer about once per time limit, not once per request.
 */
export class DeadlineQueue {
  private readonly heap: Expiring[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.heap.length;
  }

  add(item: Expiring): void {
    item.queueIndex = this.heap.length;
    this.heap.push(item);
    this.siftUp(item.queueIndex);
    if (item.expiresAt < this.armedFor) this.arm(item.expiresAt);
  }

  remove(item: Expiring): void {
    const i = item.queueIndex;
    if (i < 0 || this.heap[i] !== item) return;
    item.queueIndex = -1;
    const last = this.heap.pop() as Expiring;
    if (i === this.heap.length) return;
    this.heap[i] = last;
    last.queueIndex = i;
    this.siftDown(i);
    this.siftUp(last.queueIndex);
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.fire(), Math.max(1, at - this.now()));
    this.timer.unref(); // the requests waiting keep the process alive, not their time limits
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.now();
    // Libuv's clock may run a little behind Date.now(): an item not yet due re-arms the timer.
    while (this.heap.length > 0 && (this.heap[0] as Expiring).expiresAt <= now) {
      const top = this.heap[0] as Expiring;
      this.remove(top);
      top.expire();
    }
    if (this.heap.length > 0) this.arm((this.heap[0] as Expiring).expiresAt);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i] as Expiring;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Expiring;
      if (p.expiresAt <= item.expiresAt) break;
      heap[i] = p;
      p.queueIndex = i;
      i = parent;
    }
    heap[i] = item;
    item.queueIndex = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i] as Expiring;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (heap[right] as Expiring).expiresAt < (heap[child] as Expiring).expiresAt) child = right;
      const c = heap[child] as Expiring;
      if (c.expiresAt >= item.expiresAt) break;
      heap[i] = c;
      c.queueIndex = i;
      i = child;
    }
    heap[i] = item;
    item.queueIndex = i;
  }
}

import { DeadlineQueue, type Expiring } from './deadline-queue';

const item = (expiresAt: number, expired: string[], name = String(expiresAt)): Expiring => ({
  expiresAt,
  queueIndex: -1,
  expire: () => expired.push(name),
});

describe('DeadlineQueue', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('expires each item once its time has come, earliest first, and not before', () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue();
    const now = Date.now();
    for (const at of [300, 100, 200, 100, 50]) queue.add(item(now + at, expired, `t${at}`));
    jest.advanceTimersByTime(49);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['t50']);
    jest.advanceTimersByTime(150);
    expect(expired).toEqual(['t50', 't100', 't100', 't200']);
    jest.advanceTimersByTime(100);
    expect(expired).toEqual(['t50', 't100', 't100', 't200', 't300']);
    expect(queue.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('never expires a removed item, wherever it sat in the heap', () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue();
    const now = Date.now();
    const items = Array.from({ length: 40 }, (_, i) => item(now + 10 + ((i * 37) % 40), expired, `i${i}`));
    for (const i of items) queue.add(i);
    const removed = items.filter((_, i) => i % 3 === 0);
    for (const i of removed) queue.remove(i);
    queue.remove(removed[0] as Expiring); // twice is harmless
    expect(queue.size).toBe(items.length - removed.length);
    jest.advanceTimersByTime(100);
    const kept = items.map((_, i) => `i${i}`).filter((_, i) => i % 3 !== 0);
    expect([...expired].sort()).toEqual([...kept].sort());
    expect(removed.every((i) => i.queueIndex === -1)).toBe(true);
  });

  it('re-arms for an item earlier than the one it waits for, and lets a removed earliest lapse', () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue();
    const now = Date.now();
    const late = item(now + 1000, expired, 'late');
    queue.add(late);
    const early = item(now + 10, expired, 'early');
    queue.add(early);
    jest.advanceTimersByTime(10);
    expect(expired).toEqual(['early']);
    const gone = item(now + 20, expired, 'gone');
    queue.add(gone);
    queue.remove(gone); // the timer stays armed for it, fires, finds nothing due
    jest.advanceTimersByTime(20);
    expect(expired).toEqual(['early']);
    jest.advanceTimersByTime(970);
    expect(expired).toEqual(['early', 'late']);
  });

  it('waits again when an item is not due yet when its timer fires (libuv time behind Date.now)', () => {
    const expired: string[] = [];
    let skew = 5;
    const queue = new DeadlineQueue(() => Date.now() + skew);
    queue.add(item(Date.now() + 10, expired, 'x')); // armed for 5 ms by a clock 5 ms ahead
    skew = 0;
    jest.advanceTimersByTime(5);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(5);
    expect(expired).toEqual(['x']);
  });
});

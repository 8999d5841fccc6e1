import type { BasketItemDto } from '@edge/contracts-web';

/** The basket lives in the page (it is the user's choice, not server state) until checkout. */
export class Basket {
  private readonly items = new Map<string, number>();

  add(productId: string, quantity = 1): void {
    this.items.set(productId, Math.min(100, (this.items.get(productId) ?? 0) + quantity));
  }

  remove(productId: string): void {
    this.items.delete(productId);
  }

  clear(): void {
    this.items.clear();
  }

  get size(): number {
    return this.items.size;
  }

  lines(): BasketItemDto[] {
    return [...this.items].map(([productId, quantity]) => ({ productId, quantity }));
  }

  /** Changes whenever the basket does: a checkout retried for the same basket reuses its Idempotency-Key. */
  fingerprint(): string {
    return this.lines()
      .map((l) => `${l.productId}:${l.quantity}`)
      .sort()
      .join(',');
  }
}

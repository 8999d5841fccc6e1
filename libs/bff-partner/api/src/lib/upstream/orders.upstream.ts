import { Injectable } from '@nestjs/common';
import { InjectHttpClient, type HttpClient } from '@edge/http-client';
import type { UpstreamOrder, UpstreamPage } from './upstream-models';
import { passOnValidation } from './upstream-problems';

export interface OrderQuery {
  status?: string;
  createdAfter?: string;
  createdBefore?: string;
  limit?: number;
  cursor?: string;
}

export interface NewOrder {
  items: { productId: string; quantity: number }[];
}

/** demo-orders, as this BFF uses it: explicit calls only, no passthrough. */
@Injectable()
export class OrdersUpstream {
  constructor(@InjectHttpClient('orders') private readonly client: HttpClient) {}

  async list(query: OrderQuery): Promise<UpstreamPage<UpstreamOrder>> {
    const { status, createdAfter, createdBefore, limit, cursor } = query;
    try {
      return (await this.client.get<UpstreamPage<UpstreamOrder>>('/orders', { query: { status, createdAfter, createdBefore, limit, cursor } })).body;
    } catch (error) {
      throw passOnValidation(error);
    }
  }

  async get(id: string): Promise<UpstreamOrder> {
    return (await this.client.get<UpstreamOrder>('/orders/:id', { params: { id } })).body;
  }

  /** The service owns idempotency too: the key goes along, so retries (ours or the partner's) never duplicate. */
  async create(order: NewOrder, idempotencyKey: string, options: { signal?: AbortSignal } = {}): Promise<UpstreamOrder> {
    try {
      return (await this.client.post<UpstreamOrder>('/orders', { body: order, idempotencyKey, ...(options.signal ? { signal: options.signal } : {}) })).body;
    } catch (error) {
      throw passOnValidation(error);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectHttpClient, type HttpClient } from '@edge/http-client';
import type { UpstreamPage, UpstreamProduct } from './upstream-models';
import { passOnValidation } from './upstream-problems';

export interface ProductQuery {
  category?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** demo-catalog, as this BFF uses it. */
@Injectable()
export class CatalogUpstream {
  constructor(@InjectHttpClient('catalog') private readonly client: HttpClient) {}

  async list(query: ProductQuery): Promise<UpstreamPage<UpstreamProduct>> {
    const { category, q, limit, cursor } = query;
    try {
      return (await this.client.get<UpstreamPage<UpstreamProduct>>('/products', { query: { category, q, limit, cursor } })).body;
    } catch (error) {
      throw passOnValidation(error);
    }
  }

  async get(id: string): Promise<UpstreamProduct> {
    return (await this.client.get<UpstreamProduct>('/products/:id', { params: { id } })).body;
  }
}

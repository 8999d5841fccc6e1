import type { HttpClient, RequestOptions } from '@edge/http-client';
import type { ProductView } from './upstream-views';

/**
 * The catalog has no batch read: one GET per distinct product, in parallel, within the
 * caller's part deadline. A product that cannot be read is left out (the caller decides
 * whether that matters).
 */
export async function productsById(client: HttpClient, ids: readonly string[], call: Pick<RequestOptions, 'deadline' | 'signal'>): Promise<Map<string, ProductView>> {
  const unique = [...new Set(ids)];
  const results = await Promise.all(unique.map((id) => client.get<ProductView>('/products/:id', { ...call, params: { id } }).then((r) => r.body)));
  return new Map(results.map((p) => [p.id, p]));
}

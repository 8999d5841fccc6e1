import { createHash } from 'node:crypto';
import { CATALOG_SEED, isVisibleTo, type CatalogProduct } from '@edge/demo-kit';

export interface Recommendation {
  productId: string;
  reason: string;
  /** 0..1, higher first. */
  score: number;
}

function score(sub: string, productId: string): number {
  return createHash('sha256').update(`${sub}/${productId}`).digest().readUInt32BE(0) / 0xffffffff;
}

function reasonFor(product: CatalogProduct, favourite: string): string {
  if (product.tenant !== undefined) return `Available to ${product.tenant} only`;
  if (product.category === favourite) return `Because you like ${favourite}`;
  return product.stock < 10 ? `Popular in ${product.category}: few left` : `Popular in ${product.category}`;
}

/**
 * Deterministic per caller (the same user always gets the same list): products visible to
 * the caller's tenant, in stock, ranked by a hash of user and product.
 */
export function recommend(sub: string, tenant: string, limit: number): Recommendation[] {
  const candidates = CATALOG_SEED.filter((p) => isVisibleTo(p, tenant) && p.stock > 0);
  const ranked = candidates.map((p) => ({ product: p, score: score(sub, p.id) })).sort((a, b) => b.score - a.score || (a.product.id < b.product.id ? -1 : 1));
  const favourite = ranked[0]?.product.category ?? '';
  return ranked.slice(0, limit).map(({ product, score: s }) => ({ productId: product.id, reason: reasonFor(product, favourite), score: Math.round(s * 1000) / 1000 }));
}

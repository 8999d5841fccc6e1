import type { Money, ProductView } from '@edge/contracts-domain';

export type { Money } from '@edge/contracts-domain';

/**
 * The demo catalog, generated deterministically so that every service sees the same data:
 * demo-catalog serves it, demo-orders validates product ids and prices against it (no call
 * to the catalog), demo-recommendations picks from it. A product as the catalog keeps it:
 * its published view's fields (@edge/contracts-domain) plus internal ones.
 */
export interface CatalogProduct extends Omit<ProductView, 'visibility'> {
  /** Set on tenant-only products; public products have none. */
  tenant?: string;
  /** Internal: never part of a client-facing view. */
  costPrice: Money;
  /** Internal: never part of a client-facing view. */
  supplierCode: string;
}

export const CATEGORIES = ['books', 'electronics', 'garden', 'kitchen', 'outdoor', 'toys'] as const;
export const CURRENCY = 'EUR';

const adjectives = ['Compact', 'Classic', 'Rugged', 'Smart', 'Eco', 'Deluxe', 'Mini', 'Pro', 'Nordic', 'Urban'];
const nouns: Record<(typeof CATEGORIES)[number], string[]> = {
  books: ['Cookbook', 'Atlas', 'Novel', 'Field Guide', 'Notebook'],
  electronics: ['Headphones', 'Charger', 'Speaker', 'Keyboard', 'Lamp'],
  garden: ['Trowel', 'Planter', 'Hose', 'Seed Kit', 'Pruner'],
  kitchen: ['Kettle', 'Knife', 'Skillet', 'Grinder', 'Teapot'],
  outdoor: ['Tent', 'Lantern', 'Backpack', 'Bottle', 'Hammock'],
  toys: ['Puzzle', 'Kite', 'Robot', 'Blocks', 'Yo-yo'],
};

const pad = (n: number, width = 3) => String(n).padStart(width, '0');

function product(n: number, idPrefix: string, tenant?: string): CatalogProduct {
  const category = CATEGORIES[n % CATEGORIES.length] as (typeof CATEGORIES)[number];
  const noun = nouns[category][Math.floor(n / CATEGORIES.length) % 5] as string;
  const adjective = adjectives[(n * 7) % adjectives.length] as string;
  const amount = 499 + ((n * 7919) % 19_000);
  return {
    id: `${idPrefix}${pad(n)}`,
    sku: `${category.slice(0, 3).toUpperCase()}-${tenant ? tenant.toUpperCase() + '-' : ''}${pad(n, 4)}`,
    name: `${adjective} ${noun}${tenant ? ` (${tenant} edition)` : ''}`,
    description: `A ${adjective.toLowerCase()} ${noun.toLowerCase()} from our ${category} range.`,
    price: { amount, currency: CURRENCY },
    category,
    stock: (n * 13) % 61,
    ...(tenant ? { tenant } : {}),
    costPrice: { amount: Math.round(amount * 0.55), currency: CURRENCY },
    supplierCode: `SUP-${pad((n * 31) % 97, 2)}`,
  };
}

const publicProducts = Array.from({ length: 50 }, (_, i) => product(i + 1, 'prod_'));
const tenantProducts = ['acme', 'globex'].flatMap((tenant) => [1, 2, 3].map((n) => product(100 + n, `prod_${tenant}_`, tenant)));

/** Sorted by id. 50 public products plus 3 tenant-only products each for acme and globex. */
export const CATALOG_SEED: readonly CatalogProduct[] = Object.freeze(
  [...publicProducts, ...tenantProducts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((p) => Object.freeze(p)),
);

const byId = new Map(CATALOG_SEED.map((p) => [p.id, p]));

export function findProduct(id: string): CatalogProduct | undefined {
  return byId.get(id);
}

/** Public products are visible to everyone, tenant-only products to that tenant only. */
export function isVisibleTo(product: CatalogProduct, tenant: string | undefined): boolean {
  return product.tenant === undefined || product.tenant === tenant;
}

/**
 * What bff-web reads from the domain services (their published views, narrowed to the
 * fields used here). The SPA never sees these shapes: the endpoints map them to the
 * contracts in @edge/contracts-web, so service-internal fields cannot leak through.
 */
export interface Money {
  amount: number;
  currency: string;
}

export interface CustomerView {
  id: string;
  tenant: string;
  name: string;
  email: string;
  tier: string;
  address: { line1: string; city: string; postalCode: string; country: string };
}

export interface OrderView {
  id: string;
  status: string;
  createdAt: string;
  items: { productId: string; quantity: number; unitPrice: Money }[];
  total: Money;
}

export interface OrderPageView {
  items: OrderView[];
  nextCursor?: string;
}

export interface RecommendationsView {
  items: { productId: string; reason: string; score: number }[];
}

export interface ProductView {
  id: string;
  name: string;
  price: Money;
}

/** The http-client names bff-web calls (one client, breaker and token policy each). */
export const DEPENDENCIES = {
  customers: 'customers',
  orders: 'orders',
  recommendations: 'recommendations',
  catalog: 'catalog',
} as const;

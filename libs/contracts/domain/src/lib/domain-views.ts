/**
 * What the domain services answer (their published views, see each service's
 * /openapi.json), as far as BFFs read them. Types only. Services may add internal fields;
 * BFFs map the fields they need into their own client DTOs and never pass these on as such.
 */
export interface Money {
  /** Minor units (cents). */
  amount: number;
  currency: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'cancelled';

export interface OrderView {
  id: string;
  tenant: string;
  userId: string;
  status: OrderStatus;
  createdAt: string;
  items: { productId: string; quantity: number; unitPrice: Money }[];
  total: Money;
}

export interface ProductView {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: Money;
  category: string;
  stock: number;
  visibility: 'public' | 'tenant';
}

export interface CustomerView {
  id: string;
  tenant: string;
  name: string;
  email: string;
  tier: string;
  address: { line1: string; city: string; postalCode: string; country: string };
}

export interface RecommendationsView {
  items: { productId: string; reason: string; score: number }[];
}

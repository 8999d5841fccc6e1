/**
 * What the domain services answer (their OpenAPI documents), as far as this BFF reads it.
 * Internal: never returned to the app as such — mappers pick fields into the mobile DTOs.
 */
export interface UpstreamMoney {
  amount: number;
  currency: string;
}

export interface UpstreamCustomer {
  id: string;
  tenant: string;
  name: string;
  email: string;
  tier: string;
  [internal: string]: unknown;
}

export interface UpstreamOrder {
  id: string;
  tenant: string;
  userId: string;
  status: 'pending' | 'paid' | 'shipped' | 'cancelled';
  createdAt: string;
  items: { productId: string; quantity: number; unitPrice: UpstreamMoney }[];
  total: UpstreamMoney;
  [internal: string]: unknown;
}

export interface UpstreamPage<T> {
  items: T[];
  nextCursor?: string;
}

export interface UpstreamProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: UpstreamMoney;
  category: string;
  stock: number;
  visibility: 'public' | 'tenant';
  [internal: string]: unknown;
}

export interface UpstreamRecommendations {
  items: { productId: string; reason: string; score: number }[];
}

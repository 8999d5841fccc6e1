/** What the domain services answer (their published views); only the fields used here. */
export interface UpstreamMoney {
  amount: number;
  currency: string;
}

export interface UpstreamOrder {
  id: string;
  tenant: string;
  userId: string;
  status: 'pending' | 'paid' | 'shipped' | 'cancelled';
  createdAt: string;
  items: { productId: string; quantity: number; unitPrice: UpstreamMoney }[];
  total: UpstreamMoney;
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
}

export interface UpstreamPage<T> {
  items: T[];
  nextCursor?: string;
}

import { defineBffEndpoint } from '@edge/composition';
import type { HttpClient } from '@edge/http-client';
import type { BasketItemDto, CheckoutSummaryDto } from '@edge/contracts-web';
import { problem } from '@edge/problem-details';
import { isUpstreamError } from '@edge/http-client';
import { productsById } from './products';
import { DEPENDENCIES, type CustomerView } from './upstream-views';

/** `GET /web/api/checkout-summary`: the priced basket and the delivery address, both required. */
export const checkoutSummaryEndpoint = defineBffEndpoint<BasketItemDto[]>('web-checkout-summary', { deadlineMs: 2_000 })
  .part('customer', {
    dependency: DEPENDENCIES.customers,
    deadlineMs: 1_500,
    policy: 'required',
    call: (client: HttpClient, ctx) => client.get<CustomerView>('/customers/me', ctx.call).then((r) => r.body),
  })
  .part('products', {
    dependency: DEPENDENCIES.catalog,
    deadlineMs: 1_500,
    policy: 'required',
    call: (client: HttpClient, ctx) =>
      productsById(client, ctx.input.map((i) => i.productId), ctx.call).catch((error: unknown) => {
        // A product this user cannot buy (unknown, or another tenant's): the basket is wrong.
        if (isUpstreamError(error) && error.isStatus(404)) {
          throw problem('validation-failed', { extensions: { errors: [{ field: 'item', detail: 'the basket names a product that is not available' }] }, cause: error });
        }
        throw error;
      }),
  })
  .shape((v, basket): CheckoutSummaryDto => {
    const lines = basket.map((item) => {
      const product = v.products.get(item.productId);
      if (!product) throw problem('validation-failed', { extensions: { errors: [{ field: 'item', detail: `unknown product ${item.productId}` }] } });
      return {
        productId: item.productId,
        name: product.name,
        quantity: item.quantity,
        unitPrice: { amount: product.price.amount, currency: product.price.currency },
        lineTotal: { amount: product.price.amount * item.quantity, currency: product.price.currency },
      };
    });
    const currency = lines[0]?.unitPrice.currency ?? 'EUR';
    return {
      lines,
      total: { amount: lines.reduce((sum, l) => sum + l.lineTotal.amount, 0), currency },
      deliveryAddress: { name: v.customer.name, ...v.customer.address },
    };
  });

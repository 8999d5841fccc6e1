import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IdempotencyStore } from '@edge/bff-partner-idempotency';
import type { BulkOrdersRequest, CreateOrderRequest } from '@edge/contracts-partner';
import { currentRequestContext } from '@edge/observability';
import { callerScope, type PartnerCaller } from '../auth/partner-caller';
import { BulkOrders } from '../operations/bulk-orders';
import type { OperationRecord } from '../operations/operation.record';
import { OrdersUpstream, type NewOrder } from '../upstream/orders.upstream';
import type { UpstreamOrder } from '../upstream/upstream-models';

/** The validated body rebuilt field by field: a canonical form for fingerprints and the only thing sent on. */
function newOrder(request: CreateOrderRequest): NewOrder {
  return { items: request.items.map((i) => ({ productId: i.productId, quantity: i.quantity })) };
}

/** "The same request" for an Idempotency-Key: the command and its canonical body (not the API version). */
function fingerprint(command: string, body: unknown): string {
  return createHash('sha256').update(`${command}\n${JSON.stringify(body)}`).digest('base64url');
}

/**
 * The two commands of the partner API, both idempotent at this edge (keys scoped to tenant
 * and partner, shared across instances through the state store) and again at the orders
 * service, which receives the same key. What is stored is version-neutral (the service's
 * order, the operation id), so a replay renders in the version it is asked through.
 */
@Injectable()
export class PartnerCommands {
  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly orders: OrdersUpstream,
    private readonly bulk: BulkOrders,
  ) {}

  async placeOrder(caller: PartnerCaller, key: string, request: CreateOrderRequest): Promise<{ order: UpstreamOrder; replayed: boolean }> {
    const order = newOrder(request);
    const context = currentRequestContext();
    const { response, replayed } = await this.idempotency.execute(
      callerScope(caller),
      key,
      fingerprint('POST /orders', order),
      async () => ({ status: 201, headers: {}, body: await this.orders.create(order, key) }),
      { deadline: context?.deadline, signal: context?.signal },
    );
    return { order: response.body as UpstreamOrder, replayed };
  }

  async placeBulk(caller: PartnerCaller, key: string, request: BulkOrdersRequest): Promise<{ operation: OperationRecord; replayed: boolean }> {
    const orders = request.orders.map(newOrder);
    const context = currentRequestContext();
    const { response, replayed } = await this.idempotency.execute(
      callerScope(caller),
      key,
      fingerprint('POST /orders/bulk', orders),
      async () => ({ status: 202, headers: {}, body: await this.bulk.start(caller, orders, context) }),
      { deadline: context?.deadline, signal: context?.signal },
    );
    return { operation: response.body as OperationRecord, replayed };
  }
}

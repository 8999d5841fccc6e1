import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res, type Type } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScopes } from '@edge/auth';
import { idempotencyKeyOf } from '@edge/bff-partner-idempotency';
import {
  BulkOrdersRequest,
  CreateOrderRequest,
  OperationV1,
  OperationV2,
  OrderPageV1,
  OrderPageV2,
  OrderV1,
  OrderV2,
  ProductPageV1,
  ProductPageV2,
  ProductV1,
  ProductV2,
  type PartnerApiVersion,
} from '@edge/contracts-partner';
import { problem } from '@edge/problem-details';
import { callerOf, type PartnerCaller } from '../auth/partner-caller';
import { RATE_LIMIT_HEADERS, ProblemResponses } from '../contract/problem-responses';
import { OperationsStore } from '../operations/operations.store';
import { PartnerCommands } from '../orders/partner-commands';
import { V1, V2, type Representation } from '../representations/representations';
import { CatalogUpstream } from '../upstream/catalog.upstream';
import { OrdersUpstream, type OrderQuery } from '../upstream/orders.upstream';
import type { ProductQuery } from '../upstream/catalog.upstream';
import { IdempotencyKeyHeader, OrderListQuery, PartnerSecurity, ProductListQuery, ResourceId } from './api-params';

/** One version of the API: its representation and the DTO classes that document it. */
interface VersionSpec {
  representation: Representation<unknown, unknown, unknown, unknown, unknown>;
  Order: Type<unknown>;
  OrderPage: Type<unknown>;
  Product: Type<unknown>;
  ProductPage: Type<unknown>;
  Operation: Type<unknown>;
}

const VERSIONS: Record<PartnerApiVersion, VersionSpec> = {
  v1: { representation: V1, Order: OrderV1, OrderPage: OrderPageV1, Product: ProductV1, ProductPage: ProductPageV1, Operation: OperationV1 },
  v2: { representation: V2, Order: OrderV2, OrderPage: OrderPageV2, Product: ProductV2, ProductPage: ProductPageV2, Operation: OperationV2 },
};

const OK_HEADERS = { headers: RATE_LIMIT_HEADERS };
const LOCATION = { Location: { description: 'Where the created resource is', schema: { type: 'string' } } };
const REPLAYED = { 'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same key', schema: { type: 'string', enum: ['true'] } } };
const QUERY_PROBLEMS = [400, 401, 403, 429, 502, 503, 504] as const;

function named<T extends Type<unknown>>(cls: T, name: string): T {
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

/** The authenticated partner (the guard put it there; a route without one is a bug). */
function callerOfRequest(request: FastifyRequest): PartnerCaller {
  const caller = callerOf(request);
  if (!caller) throw new Error('partner route reached without an authenticated caller');
  return caller;
}

function ordersController(version: PartnerApiVersion, v: VersionSpec): Type<unknown> {
  const id = (name: string) => `${version}${name}`;

  @ApiTags(`orders ${version}`)
  @Controller(`partner/${version}/orders`)
  class OrdersController {
    constructor(
      private readonly orders: OrdersUpstream,
      private readonly commands: PartnerCommands,
    ) {}

    @Get()
    @RequireScopes('orders:read')
    @PartnerSecurity('orders:read')
    @ApiOperation({ operationId: id('ListOrders'), summary: 'Your tenant’s orders, newest first (createdAt, then id: a stable order), in pages' })
    @OrderListQuery()
    @ApiOkResponse({ type: v.OrderPage, ...OK_HEADERS })
    @ProblemResponses(...QUERY_PROBLEMS)
    async list(@Query() query: OrderQuery): Promise<unknown> {
      return v.representation.orderPage(await this.orders.list(query));
    }

    @Get(':id')
    @RequireScopes('orders:read')
    @PartnerSecurity('orders:read')
    @ApiOperation({ operationId: id('GetOrder'), summary: 'One order of your tenant' })
    @ResourceId('Order id', undefined, 'ord_0001')
    @ApiOkResponse({ type: v.Order, ...OK_HEADERS })
    @ProblemResponses(...QUERY_PROBLEMS, 404)
    async get(@Param('id') orderId: string): Promise<unknown> {
      return v.representation.order(await this.orders.get(orderId));
    }

    @Post()
    @HttpCode(201)
    @RequireScopes('orders:write')
    @PartnerSecurity('orders:write')
    @ApiOperation({ operationId: id('PlaceOrder'), summary: 'Place an order (idempotent: requires Idempotency-Key)' })
    @IdempotencyKeyHeader()
    @ApiCreatedResponse({ type: v.Order, headers: { ...LOCATION, ...REPLAYED, ...RATE_LIMIT_HEADERS } })
    @ProblemResponses(400, 401, 403, 409, 413, 415, 422, 428, 429, 502, 503, 504)
    async create(
      @Body() body: CreateOrderRequest,
      @Headers('idempotency-key') key: string | undefined,
      @Req() request: FastifyRequest,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<unknown> {
      const { order, replayed } = await this.commands.placeOrder(callerOfRequest(request), idempotencyKeyOf(key, 'POST /orders'), body);
      reply.header('location', `/partner/${version}/orders/${order.id}`);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return v.representation.order(order);
    }

    @Post('bulk')
    @HttpCode(202)
    @RequireScopes('orders:write')
    @PartnerSecurity('orders:write')
    @ApiOperation({
      operationId: id('PlaceOrdersInBulk'),
      summary: 'Place many orders as one long-running operation',
      description: 'Answers 202 at once with the operation; poll its Location. Each order is placed on its own — orders placed stay placed even when others fail.',
    })
    @IdempotencyKeyHeader()
    @ApiAcceptedResponse({ type: v.Operation, headers: { ...LOCATION, ...REPLAYED, ...RATE_LIMIT_HEADERS } })
    @ProblemResponses(400, 401, 403, 409, 413, 415, 422, 428, 429, 503, 504)
    async bulk(
      @Body() body: BulkOrdersRequest,
      @Headers('idempotency-key') key: string | undefined,
      @Req() request: FastifyRequest,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<unknown> {
      const { operation, replayed } = await this.commands.placeBulk(callerOfRequest(request), idempotencyKeyOf(key, 'POST /orders/bulk'), body);
      reply.header('location', `/partner/${version}/operations/${operation.id}`);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return v.representation.operation(operation);
    }
  }
  return named(OrdersController, `Orders${version.toUpperCase()}Controller`);
}

function productsController(version: PartnerApiVersion, v: VersionSpec): Type<unknown> {
  @ApiTags(`products ${version}`)
  @Controller(`partner/${version}/products`)
  class ProductsController {
    constructor(private readonly catalog: CatalogUpstream) {}

    @Get()
    @RequireScopes('catalog:read')
    @PartnerSecurity('catalog:read')
    @ApiOperation({ operationId: `${version}ListProducts`, summary: 'The catalog: public products and your tenant’s own, by id' })
    @ProductListQuery()
    @ApiOkResponse({ type: v.ProductPage, ...OK_HEADERS })
    @ProblemResponses(...QUERY_PROBLEMS)
    async list(@Query() query: ProductQuery): Promise<unknown> {
      return v.representation.productPage(await this.catalog.list(query));
    }

    @Get(':id')
    @RequireScopes('catalog:read')
    @PartnerSecurity('catalog:read')
    @ApiOperation({ operationId: `${version}GetProduct`, summary: 'One product' })
    @ResourceId('Product id', undefined, 'prod_001')
    @ApiOkResponse({ type: v.Product, ...OK_HEADERS })
    @ProblemResponses(...QUERY_PROBLEMS, 404)
    async get(@Param('id') productId: string): Promise<unknown> {
      return v.representation.product(await this.catalog.get(productId));
    }
  }
  return named(ProductsController, `Products${version.toUpperCase()}Controller`);
}

function operationsController(version: PartnerApiVersion, v: VersionSpec): Type<unknown> {
  @ApiTags(`operations ${version}`)
  @Controller(`partner/${version}/operations`)
  class OperationsController {
    constructor(private readonly operations: OperationsStore) {}

    @Get(':id')
    @RequireScopes('orders:write')
    @PartnerSecurity('orders:write')
    @ApiOperation({ operationId: `${version}GetOperation`, summary: 'A bulk operation: pending, then succeeded or failed, with the outcome of each order' })
    @ResourceId('Operation id', '^op_[0-9a-f]{32}$', 'op_5f0c2a9e4b7d4c1f8a3e6d2b1c0f9e8a')
    @ApiOkResponse({ type: v.Operation, ...OK_HEADERS })
    @ProblemResponses(400, 401, 403, 404, 429, 503)
    async get(@Param('id') operationId: string, @Req() request: FastifyRequest): Promise<unknown> {
      const operation = await this.operations.find(operationId, callerOfRequest(request));
      if (!operation) throw problem('not-found', { detail: `Operation ${operationId} was not found.` });
      return v.representation.operation(operation);
    }
  }
  return named(OperationsController, `Operations${version.toUpperCase()}Controller`);
}

/** Every controller of the partner API: the same endpoints in each version, each with its representation. */
export const PARTNER_CONTROLLERS: readonly Type<unknown>[] = (Object.entries(VERSIONS) as [PartnerApiVersion, VersionSpec][]).flatMap(([version, spec]) => [
  ordersController(version, spec),
  productsController(version, spec),
  operationsController(version, spec),
]);

import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentIdentity, RequireScopes, type Identity } from '@edge/auth';
import { callerOf, DEFAULT_PAGE_LIMIT, keysetPage, notFound, sendCacheableJson } from '@edge/demo-kit';
import { IdempotencyStore, type StoredResponse } from './idempotency.store';
import { idempotencyKeyOf, requestFingerprint } from './idempotency-key';
import { CreateOrderDto, ListOrdersQuery, OrderPage, OrderViewDto } from './order.dto';
import { orderView } from './order.model';
import { OrdersService } from './orders.service';

const PRIVATE_REVALIDATE = 'private, no-cache';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly idempotency: IdempotencyStore,
  ) {}

  @Get()
  @RequireScopes('orders:read')
  @ApiOperation({ summary: "The caller's orders (a partner client's: its tenant's), newest first" })
  @ApiOkResponse({ type: OrderPage })
  list(@Query() query: ListOrdersQuery, @CurrentIdentity() identity: Identity, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const caller = callerOf(identity);
    const filters = { status: query.status, createdAfter: query.createdAfter, createdBefore: query.createdBefore };
    const page = keysetPage(this.orders.list(caller, filters), {
      limit: query.limit ?? DEFAULT_PAGE_LIMIT,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      filters: JSON.stringify([caller.tenant, caller.sub, filters.status ?? null, filters.createdAfter ?? null, filters.createdBefore ?? null]),
      positionOf: (o) => ({ createdAt: o.createdAt, id: o.id }),
      isAfter: (o, p) => o.createdAt < String(p['createdAt']) || (o.createdAt === p['createdAt'] && o.id < String(p['id'])),
    });
    const body: OrderPage = { items: page.items.map(orderView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    sendCacheableJson(request, reply, body, { cacheControl: PRIVATE_REVALIDATE });
  }

  @Get(':id')
  @RequireScopes('orders:read')
  @ApiOperation({ summary: 'One order; another user’s or tenant’s order is 404' })
  @ApiOkResponse({ type: OrderViewDto })
  get(@Param('id') id: string, @CurrentIdentity() identity: Identity, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const order = this.orders.get(callerOf(identity), id);
    if (!order) notFound(`Order ${id}`);
    sendCacheableJson(request, reply, orderView(order), { cacheControl: PRIVATE_REVALIDATE });
  }

  @Post()
  @RequireScopes('orders:write')
  @ApiOperation({ summary: 'Place an order (idempotent per Idempotency-Key, caller and tenant, for 24 h)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per order; retries reuse it' })
  @ApiCreatedResponse({ type: OrderViewDto })
  async create(
    @Body() body: CreateOrderDto,
    @Headers('idempotency-key') keyHeader: string | undefined,
    @CurrentIdentity() identity: Identity,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const caller = callerOf(identity);
    const key = idempotencyKeyOf(keyHeader);
    const scopedKey = `${caller.tenant}\u0000${caller.sub}\u0000${key}`;
    const { response, replayed } = await this.idempotency.execute(scopedKey, requestFingerprint('POST', '/orders', body), async (): Promise<StoredResponse> => {
      const order = this.orders.create(caller, body);
      return { status: 201, headers: { location: `/orders/${order.id}` }, body: orderView(order) };
    });
    reply.code(response.status).headers(response.headers).header('cache-control', 'no-store');
    if (replayed) reply.header('idempotent-replayed', 'true');
    reply.type('application/json; charset=utf-8').send(JSON.stringify(response.body));
  }
}

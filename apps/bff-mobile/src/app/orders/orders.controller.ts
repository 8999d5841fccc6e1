import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '@edge/auth';
import { MOBILE_BASE_PATH, ORDER_PAGE_DEFAULT_LIMIT, ORDER_PAGE_MAX_LIMIT, type MobileOrderDto, type MobileOrderPageDto } from '@edge/contracts-mobile';
import { InjectHttpClient, type HttpClient } from '@edge/http-client';
import type { UpstreamOrder, UpstreamPage } from '../downstream/upstream-types';
import { MobileClientGuard } from '../http/mobile-client.guard';
import { pageCursor, pageLimit, resourceId, withPageCursor } from '../http/query-params';
import { CreateOrderSchema, OrderPageSchema, OrderSchema } from '../openapi/mobile.schemas';
import { createOrderBody } from './create-order.body';
import { orderDetail, orderSummary } from './order.mapper';
import { passOnOrderProblem } from './order-problems';

/** The caller's orders. Ownership is the orders service's rule: someone else's order is its 404, passed on. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller(MOBILE_BASE_PATH.slice(1))
@UseGuards(MobileClientGuard)
export class OrdersController {
  constructor(@InjectHttpClient('orders') private readonly orders: HttpClient) {}

  @Get('orders')
  @ApiOkResponse({ type: OrderPageSchema })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: ORDER_PAGE_MAX_LIMIT, default: ORDER_PAGE_DEFAULT_LIMIT } })
  @ApiQuery({ name: 'cursor', required: false, type: String })
  @RequireScopes('orders:read')
  async list(@Query('limit') limit: string | undefined, @Query('cursor') cursor: string | undefined): Promise<MobileOrderPageDto> {
    const query = { limit: pageLimit(limit, ORDER_PAGE_DEFAULT_LIMIT, ORDER_PAGE_MAX_LIMIT), cursor: pageCursor(cursor) };
    const page = (await withPageCursor(query.cursor, () => this.orders.get<UpstreamPage<UpstreamOrder>>('/orders', { query }))).body;
    return { items: page.items.map(orderSummary), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  @Get('orders/:id')
  @ApiOkResponse({ type: OrderSchema })
  @RequireScopes('orders:read')
  async get(@Param('id') id: string): Promise<MobileOrderDto> {
    const order = (await this.orders.get<UpstreamOrder>('/orders/:id', { params: { id: resourceId(id, 'id') } })).body;
    return orderDetail(order);
  }

  /**
   * The Idempotency-Key goes to the orders service as it is (it owns the rule: required,
   * replayed, reused with another body); with it, the client may retry safely, and so may we.
   */
  @Post('orders')
  @ApiBody({ type: CreateOrderSchema })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Forwarded to the orders service, which replays the first outcome for the same key' })
  @ApiCreatedResponse({ type: OrderSchema })
  @HttpCode(201)
  @RequireScopes('orders:write')
  async create(@Body() body: unknown, @Headers('idempotency-key') idempotencyKey: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<MobileOrderDto> {
    const order = createOrderBody(body);
    const res = await this.orders
      .post<UpstreamOrder>('/orders', { body: order, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) })
      .catch((error: unknown) => Promise.reject(passOnOrderProblem(error)));
    reply.code(res.status);
    reply.header('location', `${MOBILE_BASE_PATH}/orders/${encodeURIComponent(res.body.id)}`);
    if (res.headers['idempotent-replayed'] === 'true') reply.header('idempotent-replayed', 'true');
    return orderDetail(res.body);
  }
}

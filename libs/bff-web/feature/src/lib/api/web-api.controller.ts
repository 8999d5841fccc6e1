import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BffComposer, PARTIAL_RESPONSE_HEADER } from '@edge/composition';
import { InjectHttpClient, type HttpClient } from '@edge/http-client';
import { WEB_PATHS, type CheckoutSummaryDto, type HomeDto, type OrderDetailsDto } from '@edge/contracts-web';
import { problem } from '@edge/problem-details';
import { WebRoute } from '../routing/web-route';
import { parseBasket } from './basket';
import { checkoutSummaryEndpoint } from './checkout-summary.endpoint';
import { homeEndpoint } from './home.endpoint';
import { orderDetailsEndpoint, placedOrderEndpoint } from './order-details.endpoint';
import { ordersRefusal } from './orders-problems';
import { DEPENDENCIES, type OrderView } from './upstream-views';

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The SPA's screen-shaped API. Every route is `api`: X-CSRF, allowed Origin for POST, a live
 * session (401 otherwise); downstream calls carry tokens exchanged for each service's
 * audience from the session's access token — never the browser's cookie.
 */
@WebRoute('api')
@Controller('web/api')
export class WebApiController {
  constructor(
    private readonly composer: BffComposer,
    @InjectHttpClient(DEPENDENCIES.orders) private readonly orders: HttpClient,
  ) {}

  @Get('home')
  home(): Promise<HomeDto> {
    return this.composer.respond(homeEndpoint, undefined);
  }

  @Get('checkout-summary')
  checkoutSummary(@Query('item') item: unknown): Promise<CheckoutSummaryDto> {
    return this.composer.respond(checkoutSummaryEndpoint, parseBasket(item));
  }

  /** Places the order; the orders service owns the Idempotency-Key rule (428 without one, replay with one). */
  @Post('checkout')
  @HttpCode(201)
  async checkout(@Body() body: unknown, @Headers('idempotency-key') idempotencyKey: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<OrderDetailsDto> {
    const items = typeof body === 'object' && body !== null ? (body as { items?: unknown }).items : undefined;
    if (!Array.isArray(items)) throw problem('validation-failed', { extensions: { errors: [{ field: 'items', detail: 'must be a list of { productId, quantity }' }] } });
    let placed;
    try {
      placed = await this.orders.post<OrderView>('/orders', {
        // Only the fields the orders service takes: nothing else from the browser is forwarded.
        body: { items: items.map((i: { productId?: unknown; quantity?: unknown }) => ({ productId: i?.productId, quantity: i?.quantity })) },
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      });
    } catch (error) {
      throw ordersRefusal(error);
    }
    if (placed.headers['idempotent-replayed'] === 'true') reply.header('idempotent-replayed', 'true');
    reply.header('location', WEB_PATHS.order(placed.body.id));
    const composition = await this.composer.run(placedOrderEndpoint, placed.body);
    if (composition.partial) reply.header(PARTIAL_RESPONSE_HEADER, 'true');
    return composition.body;
  }

  @Get('orders/:id')
  order(@Param('id') id: string): Promise<OrderDetailsDto> {
    if (!ORDER_ID.test(id)) throw problem('not-found', { detail: 'No such order.' });
    return this.composer.respond(orderDetailsEndpoint, { id });
  }
}

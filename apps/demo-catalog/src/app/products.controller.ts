import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentIdentity, OptionalAuth, RequireScopes, type Identity } from '@edge/auth';
import { CATALOG_SEED, DEFAULT_PAGE_LIMIT, findProduct, isVisibleTo, keysetPage, notFound, sendCacheableJson } from '@edge/demo-kit';
import { ListProductsQuery, ProductPage, ProductView, productView } from './product.dto';

const PUBLIC_CACHE = 'public, max-age=60';
const PRIVATE_CACHE = 'private, max-age=60';

/**
 * Anonymous reads see public products; a presented token must be valid (catalog-api
 * audience, catalog:read) and adds its tenant's own products. Responses that depend on the
 * token are `private`, the rest `public`; every response carries a strong ETag.
 */
@ApiTags('products')
@ApiBearerAuth()
@OptionalAuth()
@RequireScopes('catalog:read')
@Controller('products')
export class ProductsController {
  @Get()
  @ApiOperation({ summary: 'List products (public, plus the caller tenant’s own)' })
  @ApiOkResponse({ type: ProductPage })
  list(@Query() query: ListProductsQuery, @CurrentIdentity() identity: Identity | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const tenant = identity?.tenant;
    const needle = query.q?.toLowerCase();
    const matching = CATALOG_SEED.filter(
      (p) =>
        isVisibleTo(p, tenant) &&
        (query.category === undefined || p.category === query.category) &&
        (needle === undefined || p.name.toLowerCase().includes(needle) || p.description.toLowerCase().includes(needle)),
    );
    const page = keysetPage(matching, {
      limit: query.limit ?? DEFAULT_PAGE_LIMIT,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      filters: JSON.stringify([query.category ?? null, needle ?? null, tenant ?? null]),
      positionOf: (p) => ({ id: p.id }),
      isAfter: (p, position) => p.id > String(position['id']),
    });
    const body: ProductPage = { items: page.items.map(productView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    sendCacheableJson(request, reply, body, { cacheControl: identity ? PRIVATE_CACHE : PUBLIC_CACHE });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One product; tenant-only products need a token of that tenant' })
  @ApiOkResponse({ type: ProductView })
  get(@Param('id') id: string, @CurrentIdentity() identity: Identity | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const product = findProduct(id);
    if (!product || !isVisibleTo(product, identity?.tenant)) notFound(`Product ${id}`);
    sendCacheableJson(request, reply, productView(product), { cacheControl: product.tenant === undefined ? PUBLIC_CACHE : PRIVATE_CACHE });
  }
}

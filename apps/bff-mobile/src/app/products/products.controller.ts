import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OptionalAuth, RequireScopes } from '@edge/auth';
import { MOBILE_BASE_PATH, PRODUCT_PAGE_DEFAULT_LIMIT, PRODUCT_PAGE_MAX_LIMIT, type MobileProductDto, type MobileProductPageDto } from '@edge/contracts-mobile';
import { InjectHttpClient, type HttpClient } from '@edge/http-client';
import type { UpstreamPage, UpstreamProduct } from '../downstream/upstream-types';
import { MobileClientGuard } from '../http/mobile-client.guard';
import { pageCursor, pageLimit, resourceId, textFilter, withPageCursor } from '../http/query-params';
import { PRODUCT_FIELDS_DESCRIPTION, ProductPageSchema, ProductSchema } from '../openapi/mobile.schemas';
import { compactProduct, parseProductFields } from './product-fields';

/** Browsing works before sign-in (public products); with a token the tenant's own products appear too. */
@ApiTags('products')
@ApiBearerAuth()
@Controller(MOBILE_BASE_PATH.slice(1))
@UseGuards(MobileClientGuard)
@OptionalAuth()
@RequireScopes('catalog:read')
export class ProductsController {
  constructor(@InjectHttpClient('catalog') private readonly catalog: HttpClient) {}

  @Get('products')
  @ApiOkResponse({ type: ProductPageSchema })
  @ApiQuery({ name: 'fields', required: false, description: PRODUCT_FIELDS_DESCRIPTION })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: PRODUCT_PAGE_MAX_LIMIT, default: PRODUCT_PAGE_DEFAULT_LIMIT } })
  @ApiQuery({ name: 'cursor', required: false, type: String })
  @ApiQuery({ name: 'category', required: false, type: String })
  @ApiQuery({ name: 'q', required: false, type: String })
  async list(
    @Query('fields') fields: string | undefined,
    @Query('limit') limit: string | undefined,
    @Query('cursor') cursor: string | undefined,
    @Query('category') category: string | undefined,
    @Query('q') q: string | undefined,
  ): Promise<MobileProductPageDto> {
    const selected = parseProductFields(fields);
    const query = {
      limit: pageLimit(limit, PRODUCT_PAGE_DEFAULT_LIMIT, PRODUCT_PAGE_MAX_LIMIT),
      cursor: pageCursor(cursor),
      category: textFilter(category, 'category', 40),
      q: textFilter(q, 'q', 100),
    };
    const page = (await withPageCursor(query.cursor, () => this.catalog.get<UpstreamPage<UpstreamProduct>>('/products', { query }))).body;
    return { items: page.items.map((p) => compactProduct(p, selected)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  @Get('products/:id')
  @ApiOkResponse({ type: ProductSchema })
  @ApiQuery({ name: 'fields', required: false, description: PRODUCT_FIELDS_DESCRIPTION })
  async get(@Param('id') id: string, @Query('fields') fields: string | undefined): Promise<MobileProductDto> {
    const selected = parseProductFields(fields);
    const product = (await this.catalog.get<UpstreamProduct>('/products/:id', { params: { id: resourceId(id, 'id') } })).body;
    return compactProduct(product, selected);
  }
}

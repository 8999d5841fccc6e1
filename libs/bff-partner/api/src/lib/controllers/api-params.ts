import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiQuery, ApiSecurity } from '@nestjs/swagger';
import { ORDER_STATUSES, type PartnerScope } from '@edge/contracts-partner';

const LIMIT = { name: 'limit', required: false, description: 'Page size (default 20)', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } as const;
const CURSOR = { name: 'cursor', required: false, description: 'The `nextCursor` of the previous page (tied to the same filters)', schema: { type: 'string', minLength: 1, maxLength: 512 } } as const;

/** Who may call an operation: an OAuth token with these scopes, or an API key holding them. */
export function PartnerSecurity(...scopes: PartnerScope[]) {
  return applyDecorators(ApiSecurity('oauth2', scopes), ApiSecurity('apiKey'));
}

export const OrderListQuery = () =>
  applyDecorators(
    ApiQuery({ name: 'status', required: false, schema: { type: 'string', enum: [...ORDER_STATUSES] } }),
    ApiQuery({ name: 'createdAfter', required: false, description: 'Orders placed at or after this instant', schema: { type: 'string', format: 'date-time' } }),
    ApiQuery({ name: 'createdBefore', required: false, description: 'Orders placed before this instant', schema: { type: 'string', format: 'date-time' } }),
    ApiQuery(LIMIT),
    ApiQuery(CURSOR),
  );

export const ProductListQuery = () =>
  applyDecorators(
    ApiQuery({ name: 'category', required: false, schema: { type: 'string', pattern: '^[a-z][a-z-]{0,31}$' }, example: 'kitchen' }),
    ApiQuery({ name: 'q', required: false, description: 'Case-insensitive search in name and description', schema: { type: 'string', minLength: 1, maxLength: 100 } }),
    ApiQuery(LIMIT),
    ApiQuery(CURSOR),
  );

export const ResourceId = (description: string, pattern = '^[A-Za-z0-9_-]{1,64}$', example?: string) =>
  ApiParam({ name: 'id', description, schema: { type: 'string', pattern }, ...(example !== undefined ? { example } : {}) });

export const IdempotencyKeyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Unique per command (a UUID, say). A retry with the same key and body replays the first answer; keys are kept 24 h.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9\\-_.:~+/=]{1,255}$' },
  });

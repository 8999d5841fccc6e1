import type { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_KEY_HEADER_NAME, BulkOrdersRequest, CreateOrderItem, CreateOrderRequest, FieldError, ItemProblem, PARTNER_PROBLEM_TYPES, Problem } from '@edge/contracts-partner';
import { problemType, type ProblemCode } from '@edge/problem-details';

/** Request bodies are closed: a field the schema does not name is an error, not ignored. */
const CLOSED_REQUEST_MODELS: readonly Type<unknown>[] = [CreateOrderRequest, CreateOrderItem, BulkOrdersRequest];

export interface PartnerOpenApiOptions {
  /** The token endpoint partners use for client credentials. */
  tokenUrl: string;
  /** Controllers to document (only the partner API's). */
  include: Type<unknown>[];
  /** v1 operations are marked deprecated when a sunset is configured. */
  v1Deprecated: boolean;
}

const DESCRIPTION = `The B2B API of the edge platform: explicit, versioned commands and queries on your tenant's orders and the catalog.

**Authentication.** Either an OAuth 2.0 access token from the client-credentials grant of your partner client (audience \`edge-api\`; \`Authorization: Bearer …\`), or an API key in the \`${API_KEY_HEADER_NAME}\` header. Your tenant always comes from the credential; naming another tenant anywhere in a request is answered 403.

**Versions.** \`/partner/v2\` represents money as \`{ "amount": <integer minor units>, "currency": "EUR" }\`; \`/partner/v1\` keeps decimal strings with a \`currency\` beside them. When v1 has a sunset date its responses carry \`Deprecation\`, \`Sunset\` and \`Link\` headers.

**Idempotency.** Commands (\`POST /orders\`, \`POST /orders/bulk\`) require an \`Idempotency-Key\`. Repeating a key with the same body replays the first response (same status, \`Idempotent-Replayed: true\`); with another body it is a 422. Keys are remembered for 24 hours.

**Limits.** Each partner has a rate limit and a daily quota (reset at 00:00 UTC), announced in \`RateLimit-Policy\` and \`RateLimit\` on every answer; 429 answers carry \`Retry-After\`.

**Errors.** Every error is \`application/problem+json\` (RFC 9457) with a stable \`type\`: ${Object.values(PARTNER_PROBLEM_TYPES)
  .flat()
  .map((code) => `\`${problemType(code as ProblemCode)}\``)
  .join(', ')}.`;

function close(document: OpenAPIObject, model: Type<unknown>): void {
  const schema = document.components?.schemas?.[model.name] as Record<string, unknown> | undefined;
  if (!schema) throw new Error(`request model ${model.name} is not in the OpenAPI document`);
  schema['additionalProperties'] = false;
}

/** The partner API's OpenAPI 3.1 document, generated from its controllers and contract DTOs. */
export function createPartnerOpenApi(app: INestApplication, options: PartnerOpenApiOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Partner API')
    .setDescription(DESCRIPTION)
    .setVersion('2.0.0')
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'Client credentials of your partner client; the token carries your tenant.',
        flows: { clientCredentials: { tokenUrl: options.tokenUrl, scopes: { 'catalog:read': 'Read the catalog', 'orders:read': 'Read your orders', 'orders:write': 'Place orders' } } },
      },
      'oauth2',
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER_NAME, description: 'An API key issued to your partner (bound to your tenant, scopes and an optional expiry).' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, { include: options.include, extraModels: [Problem, FieldError, ItemProblem] });
  for (const model of CLOSED_REQUEST_MODELS) close(document, model);
  if (options.v1Deprecated) {
    for (const [path, item] of Object.entries(document.paths)) {
      if (!path.startsWith('/partner/v1/')) continue;
      for (const operation of Object.values(item)) {
        if (typeof operation === 'object' && operation !== null && 'responses' in operation) (operation as { deprecated?: boolean }).deprecated = true;
      }
    }
  }
  return document;
}

import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, DownstreamTokenModule } from '@edge/auth';
import { ApiKeyService, BFF_PARTNER_STATE_PREFIX, createApiKeyRepository } from '@edge/bff-partner-api-keys';
import { IdempotencyStore } from '@edge/bff-partner-idempotency';
import { HttpClient, httpClientToken } from '@edge/http-client';
import { STATE_STORE, StateModule, type StateStore } from '@edge/state';
import { PartnerAuthenticator } from './auth/partner-authenticator';
import { PublishedSchema } from './contract/published-schema';
import { PARTNER_CONTROLLERS } from './controllers/versioned-controllers';
import { DelegatedTokens } from './downstream/delegated-tokens';
import { PARTNER_DEPENDENCIES, type PartnerDependency } from './downstream/partner-dependencies';
import { PartnerDownstreamAuth } from './downstream/partner-downstream-auth';
import { BulkOrders } from './operations/bulk-orders';
import { OperationsStore } from './operations/operations.store';
import { PartnerCommands } from './orders/partner-commands';
import { PartnerQuotas } from './quotas/partner-quotas';
import { PartnerRequestGuard } from './request/partner-request.guard';
import type { PartnerSettings } from './settings/partner-settings';
import { PARTNER_SETTINGS } from './settings/partner-settings.token';
import { CatalogUpstream } from './upstream/catalog.upstream';
import { OrdersUpstream } from './upstream/orders.upstream';

function upstreamClient(name: PartnerDependency, baseUrl: string, timeoutMs: number) {
  return {
    provide: httpClientToken(name),
    inject: [PartnerDownstreamAuth],
    useFactory: (auth: PartnerDownstreamAuth) => new HttpClient({ name, baseUrl, timeoutMs, authorize: auth.hook(name) }),
  };
}

/**
 * The partner API: `/partner/v1` and `/partner/v2` (orders, products, bulk operations), its
 * guard pipeline, the API-key store, quotas, idempotency and operations in the state store
 * (Redis with REDIS_URL), and the clients of the services behind it. Call
 * `configurePartnerApi(app, settings)` before listening: it publishes the OpenAPI document
 * the request validation is compiled from.
 */
@Module({})
export class PartnerApiModule {
  static forRoot(settings: PartnerSettings): DynamicModule {
    const issuer = settings.OIDC_ISSUER;
    const client = { issuer, clientId: settings.BFF_PARTNER_CLIENT_ID, clientSecret: settings.BFF_PARTNER_CLIENT_SECRET };
    return {
      module: PartnerApiModule,
      imports: [
        StateModule.forRoot({ redisUrl: settings.REDIS_URL, keyPrefix: BFF_PARTNER_STATE_PREFIX }),
        // Partner tokens are edge-api tokens; this app's only guard is PartnerRequestGuard.
        AuthModule.forRoot({ issuer, audience: 'edge-api', ...(settings.OIDC_JWKS_URI ? { jwksUri: settings.OIDC_JWKS_URI } : {}), globalGuard: false }),
        DownstreamTokenModule.forRoot({
          client,
          dependencies: {
            orders: { mode: 'exchange', resource: PARTNER_DEPENDENCIES.orders.resource },
            catalog: { mode: 'exchange', resource: PARTNER_DEPENDENCIES.catalog.resource },
          },
        }),
      ],
      controllers: [...PARTNER_CONTROLLERS],
      providers: [
        { provide: PARTNER_SETTINGS, useValue: settings },
        {
          provide: ApiKeyService,
          inject: [STATE_STORE],
          useFactory: (store: StateStore) => new ApiKeyService(createApiKeyRepository({ store, file: settings.PARTNER_KEYS_FILE })),
        },
        { provide: IdempotencyStore, inject: [STATE_STORE], useFactory: (store: StateStore) => new IdempotencyStore(store, { ttlMs: settings.IDEMPOTENCY_TTL }) },
        { provide: httpClientToken('idp'), useFactory: () => new HttpClient({ name: 'idp', baseUrl: issuer, timeoutMs: 2000 }) },
        {
          provide: DelegatedTokens,
          inject: [httpClientToken('idp')],
          useFactory: (idp: HttpClient) => new DelegatedTokens(idp, { clientId: client.clientId, clientSecret: client.clientSecret }),
        },
        PartnerDownstreamAuth,
        upstreamClient('orders', settings.ORDERS_URL, settings.UPSTREAM_TIMEOUT),
        upstreamClient('catalog', settings.CATALOG_URL, settings.UPSTREAM_TIMEOUT),
        OrdersUpstream,
        CatalogUpstream,
        PartnerAuthenticator,
        PartnerQuotas,
        PublishedSchema,
        OperationsStore,
        BulkOrders,
        PartnerCommands,
        { provide: APP_GUARD, useClass: PartnerRequestGuard },
      ],
    };
  }
}

import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { authorizeWith, DownstreamTokenModule, DownstreamTokenProvider, type DownstreamTokenPolicy } from '@edge/auth';
import { isGrantRejected, LogoutTokenVerifier, OidcClient } from '@edge/bff-web-oidc';
import { RefreshRejectedError, SessionCipher, sessionKey, SessionStore, SessionTokenRefresher, type RefreshTokens } from '@edge/bff-web-session';
import { CompositionModule } from '@edge/composition';
import { HttpClientModule } from '@edge/http-client';
import { STATE_STORE, StateModule, type StateStore } from '@edge/state';
import { checkoutSummaryEndpoint } from './api/checkout-summary.endpoint';
import { homeEndpoint } from './api/home.endpoint';
import { orderDetailsEndpoint, placedOrderEndpoint } from './api/order-details.endpoint';
import { DEPENDENCIES } from './api/upstream-views';
import { WebApiController } from './api/web-api.controller';
import { SignInFlow } from './auth/sign-in.flow';
import { WebAuthController } from './auth/web-auth.controller';
import { BFF_WEB_OPTIONS, type BffWebOptions } from './bff-web.options';
import { WebRouteGuard } from './routing/web-route.guard';
import { BrowserSessions } from './session/browser-sessions';
import { SpaController } from './spa/spa.controller';
import { SpaFiles } from './spa/spa-files';

/** A lease outlives the longest refresh call (5 s) with room to spare. */
const SESSION_LEASE_MS = 15_000;

/** Each service accepts only its own audience: the session's edge token is exchanged, with the scopes that service needs. */
const tokenPolicies: Record<string, DownstreamTokenPolicy> = {
  [DEPENDENCIES.customers]: { mode: 'exchange', resource: 'urn:customers-api', scopes: ['profile:read'] },
  [DEPENDENCIES.orders]: { mode: 'exchange', resource: 'urn:orders-api', scopes: ['orders:read', 'orders:write'] },
  [DEPENDENCIES.recommendations]: { mode: 'exchange', resource: 'urn:recommendations-api', scopes: ['recommendations:read'] },
  [DEPENDENCIES.catalog]: { mode: 'exchange', resource: 'urn:catalog-api', scopes: ['catalog:read'] },
};

function refreshWith(oidc: OidcClient): RefreshTokens {
  return (refreshToken) =>
    oidc.refresh(refreshToken).catch((error: unknown) => {
      throw isGrantRejected(error) ? new RefreshRejectedError('the identity provider refused the refresh token', { cause: error }) : error;
    });
}

function clientFor(name: string, baseUrl: string, timeoutMs: number) {
  return HttpClientModule.registerAsync({
    name,
    inject: [DownstreamTokenProvider],
    useFactory: (tokens: DownstreamTokenProvider) => ({ baseUrl, timeoutMs, authorize: authorizeWith(tokens, name) }),
  });
}

/**
 * The web BFF (IETF "OAuth 2.0 for Browser-Based Applications", BFF pattern): OIDC sign-in
 * on the server, tokens kept in encrypted server-side sessions, an HttpOnly `__Host-`
 * session cookie, anti-forgery checks on every route by kind, screen-shaped composed API
 * calls with per-service exchanged tokens, and the SPA's files.
 */
@Module({})
export class BffWebModule {
  static forRoot(options: BffWebOptions): DynamicModule {
    const { oidc, session, services } = options;
    const providers: Provider[] = [
      { provide: BFF_WEB_OPTIONS, useValue: options },
      { provide: SessionCipher, useFactory: () => new SessionCipher(session.keys.map((k) => sessionKey(k))) },
      {
        provide: SessionStore,
        inject: [STATE_STORE, SessionCipher],
        useFactory: (state: StateStore, cipher: SessionCipher) =>
          new SessionStore(state, cipher, { lifetimes: { idleMs: session.idleMs, absoluteMs: session.absoluteMs }, leaseMs: SESSION_LEASE_MS }),
      },
      {
        provide: OidcClient,
        useFactory: () =>
          new OidcClient({
            issuer: oidc.issuer,
            clientId: oidc.clientId,
            clientSecret: oidc.clientSecret,
            scopes: oidc.scopes,
            allowHttp: oidc.allowHttp,
            timeoutMs: oidc.timeoutMs,
            ...(oidc.backchannelUrl ? { backchannelUrl: oidc.backchannelUrl } : {}),
          }),
      },
      {
        provide: SessionTokenRefresher,
        inject: [SessionStore, OidcClient],
        useFactory: (store: SessionStore, client: OidcClient) => new SessionTokenRefresher(store, refreshWith(client), { marginMs: session.refreshMarginMs, refreshTimeoutMs: oidc.timeoutMs }),
      },
      {
        provide: LogoutTokenVerifier,
        inject: [OidcClient, STATE_STORE],
        useFactory: (client: OidcClient, state: StateStore) => new LogoutTokenVerifier({ metadata: () => client.serverMetadata(), clientId: oidc.clientId, state }),
      },
      { provide: SpaFiles, useFactory: () => new SpaFiles(options.spaDirectory) },
      BrowserSessions,
      SignInFlow,
      { provide: APP_GUARD, useClass: WebRouteGuard },
    ];
    return {
      module: BffWebModule,
      imports: [
        StateModule.forRoot({ redisUrl: options.redisUrl, keyPrefix: 'edge:bff-web:' }),
        DownstreamTokenModule.forRoot({
          client: { issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret, timeoutMs: oidc.timeoutMs },
          dependencies: tokenPolicies,
        }),
        clientFor(DEPENDENCIES.customers, services.customersUrl, 1_000),
        clientFor(DEPENDENCIES.orders, services.ordersUrl, 1_500),
        clientFor(DEPENDENCIES.recommendations, services.recommendationsUrl, 700),
        clientFor(DEPENDENCIES.catalog, services.catalogUrl, 700),
        CompositionModule.forRoot({ endpoints: [homeEndpoint, checkoutSummaryEndpoint, orderDetailsEndpoint, placedOrderEndpoint] }),
      ],
      controllers: [WebAuthController, WebApiController, SpaController],
      providers,
    };
  }
}

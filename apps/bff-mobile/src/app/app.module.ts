import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { AuthModule } from '@edge/auth';
import { CompositionModule } from '@edge/composition';
import { ObservabilityModule } from '@edge/observability';
import { downstreamModules } from './downstream/downstream.module';
import { HomeController } from './home/home.controller';
import { homeEndpoint } from './home/home.endpoint';
import { MobileClientGuard } from './http/mobile-client.guard';
import { OrdersController } from './orders/orders.controller';
import { ProductsController } from './products/products.controller';
import { MOBILE_SETTINGS, type MobileSettings } from './settings/mobile-settings';

/** The mobile API: controllers under /mobile/v1 (published in /mobile/openapi.json). */
@Module({})
export class MobileApiModule {
  static forRoot(settings: MobileSettings): DynamicModule {
    return {
      module: MobileApiModule,
      imports: [...downstreamModules(settings), CompositionModule.forRoot({ endpoints: [homeEndpoint] })],
      controllers: [HomeController, OrdersController, ProductsController],
      providers: [{ provide: MOBILE_SETTINGS, useValue: settings }, MobileClientGuard],
    };
  }
}

/** bff-mobile: tokens of the mobile app validated here too (audience edge-api), then the mobile API. */
export function appModule(settings: MobileSettings): Type<unknown> {
  @Module({
    imports: [
      ObservabilityModule.forRoot({ service: 'bff-mobile', level: settings.LOG_LEVEL }),
      AuthModule.forRoot({
        issuer: settings.OIDC_ISSUER,
        audience: settings.MOBILE_AUDIENCE,
        ...(settings.OIDC_JWKS_URI ? { jwksUri: settings.OIDC_JWKS_URI } : {}),
      }),
      MobileApiModule.forRoot(settings),
    ],
  })
  class BffMobileModule {}
  return BffMobileModule;
}

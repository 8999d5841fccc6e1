import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BffComposer } from './bff-composer';
import { COMPOSITION_ENDPOINTS, type RegisteredEndpoint } from './composition.providers';
import { PartialResponseInterceptor } from './partial-response.interceptor';

export interface CompositionModuleOptions {
  /** Every endpoint the app serves: bound to the app's http clients (and checked) at start-up. */
  endpoints: readonly RegisteredEndpoint[];
  /** Register PartialResponseInterceptor as APP_INTERCEPTOR. Default true. */
  globalInterceptor?: boolean;
}

/**
 * `CompositionModule.forRoot({ endpoints: [homeEndpoint] })` in the app module (after the
 * HttpClientModule registrations); inject BffComposer in controllers.
 */
@Module({})
export class CompositionModule {
  static forRoot(options: CompositionModuleOptions): DynamicModule {
    const providers: DynamicModule['providers'] = [{ provide: COMPOSITION_ENDPOINTS, useValue: options.endpoints }, BffComposer, PartialResponseInterceptor];
    if (options.globalInterceptor ?? true) providers.push({ provide: APP_INTERCEPTOR, useExisting: PartialResponseInterceptor });
    return { module: CompositionModule, global: true, providers, exports: [BffComposer, PartialResponseInterceptor] };
  }
}

import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createStateStore } from './create-state-store';
import { STATE_STORE, type StateStore } from './state-store';

export interface StateModuleOptions {
  redisUrl?: string;
  /** Namespace of this app's keys in a shared Redis (e.g. `edge:bff-web:`). */
  keyPrefix?: string;
}

class StateStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(STATE_STORE) private readonly store: StateStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Provides STATE_STORE (memory, or Redis with a URL) to the whole app. */
@Global()
@Module({})
export class StateModule {
  static forRoot(options: StateModuleOptions): DynamicModule {
    return {
      module: StateModule,
      providers: [{ provide: STATE_STORE, useFactory: () => createStateStore(options) }, StateStoreCloser],
      exports: [STATE_STORE],
    };
  }
}

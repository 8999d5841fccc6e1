import { Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AccessTokenVerifier } from '../access-token-verifier';
import { ConfigurableModuleClass } from './auth.module-definition';

/**
 * `AuthModule.forRoot(policy)` / `forRootAsync({ useFactory })`: the verifier for this
 * service's policy, the JwtAuthGuard (global by default) and the key store's lifecycle
 * (first JWKS fetch at bootstrap, background refresh, stopped on shutdown).
 */
@Module({})
export class AuthModule extends ConfigurableModuleClass implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly verifier: AccessTokenVerifier) {
    super();
  }

  onApplicationBootstrap(): void {
    this.verifier.start();
  }

  onModuleDestroy(): void {
    this.verifier.close();
  }
}

import { ConfigurableModuleBuilder, Logger, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessTokenVerifier } from '../access-token-verifier';
import { resolveAuthPolicy, type AuthPolicy, type ResolvedAuthPolicy } from '../auth-policy';
import type { JwksEvent } from '../jwks-key-store';
import { EdgeJwtStrategy } from './edge-jwt.strategy';
import { AUTH_GUARD_SETTINGS, JwtAuthGuard, type AuthGuardSettings } from './jwt-auth.guard';
import { PassportTokenAuthenticator } from './passport-token-authenticator';
import { TokenAuthenticator, type AuthEngine } from './token-authenticator';

export interface AuthModuleExtras {
  /** Make the verifier and guard injectable everywhere. Default true. */
  isGlobal?: boolean;
  /** Register JwtAuthGuard as APP_GUARD (every route authenticated unless decorated). Default true. */
  globalGuard?: boolean;
  /** Which adapter verifies tokens for the guard. Default 'jose' (see README of this lib). */
  engine?: AuthEngine;
  /** Route templates left anonymous without a decorator. Default ['/metrics']. */
  anonymousRoutes?: string[];
}

export const AUTH_POLICY = Symbol('AUTH_POLICY');

const defaults: Required<AuthModuleExtras> = { isGlobal: true, globalGuard: true, engine: 'jose', anonymousRoutes: ['/metrics'] };

const jwksLogger = new Logger('Jwks');
function logJwksEvent(event: JwksEvent): void {
  switch (event.type) {
    case 'fetched':
      jwksLogger.log(`fetched ${event.keys} key(s) from ${event.uri} in ${event.ms}ms`);
      return;
    case 'fetch-failed':
      jwksLogger.warn(`JWKS fetch from ${event.uri} failed after ${event.ms}ms: ${event.error} (cached keys stay in use)`);
      return;
    case 'key-ignored':
      jwksLogger.warn(`ignored JWKS key ${event.kid ?? '(no kid)'}: ${event.why}`);
      return;
    default: {
      const never: never = event;
      return never;
    }
  }
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } = new ConfigurableModuleBuilder<AuthPolicy>()
  .setClassMethodName('forRoot')
  .setExtras<AuthModuleExtras>(defaults, (definition, extras) => {
    const settings = { ...defaults, ...extras };
    const providers: Provider[] = [
      ...(definition.providers ?? []),
      { provide: AUTH_POLICY, useFactory: (options: AuthPolicy) => resolveAuthPolicy(options), inject: [MODULE_OPTIONS_TOKEN] },
      {
        provide: AccessTokenVerifier,
        useFactory: (policy: ResolvedAuthPolicy) => new AccessTokenVerifier(policy, { onJwksEvent: logJwksEvent }),
        inject: [AUTH_POLICY],
      },
      {
        provide: AUTH_GUARD_SETTINGS,
        useFactory: (policy: ResolvedAuthPolicy): AuthGuardSettings => ({ requiredScopes: policy.requiredScopes, anonymousRoutes: settings.anonymousRoutes }),
        inject: [AUTH_POLICY],
      },
      JwtAuthGuard,
    ];
    if (settings.engine === 'passport') {
      providers.push(EdgeJwtStrategy, PassportTokenAuthenticator, { provide: TokenAuthenticator, useExisting: PassportTokenAuthenticator });
    } else {
      providers.push({
        provide: TokenAuthenticator,
        useFactory: (verifier: AccessTokenVerifier): TokenAuthenticator => ({ authenticate: (token) => verifier.verify(token) }),
        inject: [AccessTokenVerifier],
      });
    }
    if (settings.globalGuard) providers.push({ provide: APP_GUARD, useExisting: JwtAuthGuard });
    return {
      ...definition,
      global: settings.isGlobal,
      providers,
      exports: [...(definition.exports ?? []), AUTH_POLICY, AccessTokenVerifier, TokenAuthenticator, JwtAuthGuard],
    };
  })
  .build();

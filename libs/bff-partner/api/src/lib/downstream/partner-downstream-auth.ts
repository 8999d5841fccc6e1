import { Inject, Injectable } from '@nestjs/common';
import { DownstreamTokenProvider } from '@edge/auth';
import type { AuthorizeContext } from '@edge/http-client';
import { callerInContext } from '../auth/partner-caller';
import { DelegatedTokens } from './delegated-tokens';
import type { PartnerDependency } from './partner-dependencies';

/**
 * The `authorize` hook of the orders and catalog clients: the caller's credential decides how
 * the downstream token is obtained — OAuth callers' tokens are exchanged (RFC 8693), API-key
 * callers get a delegated partner token. Either way the token's subject is the partner and
 * its tenant the credential's; the partner's own token is never forwarded.
 */
@Injectable()
export class PartnerDownstreamAuth {
  constructor(
    private readonly exchange: DownstreamTokenProvider,
    @Inject(DelegatedTokens) private readonly delegation: DelegatedTokens,
  ) {}

  hook(dependency: PartnerDependency): (context: AuthorizeContext) => Promise<string | undefined> {
    this.exchange.policyOf(dependency);
    return async (context) => {
      const caller = callerInContext(context.request);
      // Every partner route is authenticated: a call without a caller is a bug, not anonymous.
      if (!caller) throw new Error(`no partner caller for a call to ${dependency}`);
      if (caller.credential === 'api-key') return this.delegation.authorizationFor(dependency, caller);
      return this.exchange.authorizationFor(dependency, caller.identity, { signal: context.signal });
    };
  }
}

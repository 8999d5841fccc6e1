import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { identityOf } from '@edge/auth';
import { problem } from '@edge/problem-details';
import { MOBILE_SETTINGS, type MobileSettings } from '../settings/mobile-settings';

/**
 * Runs after the global JwtAuthGuard: a valid edge-api token must also come from a mobile
 * client (`client_id`), so tokens issued to other clients are not accepted here.
 * Anonymous requests on @OptionalAuth routes pass.
 */
@Injectable()
export class MobileClientGuard implements CanActivate {
  private readonly allowed: ReadonlySet<string>;

  constructor(@Inject(MOBILE_SETTINGS) settings: MobileSettings) {
    this.allowed = new Set(settings.MOBILE_ALLOWED_CLIENTS);
  }

  canActivate(context: ExecutionContext): boolean {
    const identity = identityOf(context.switchToHttp().getRequest<object>());
    if (identity === undefined || (identity.clientId !== undefined && this.allowed.has(identity.clientId))) return true;
    throw problem('forbidden', { detail: 'This API serves the mobile apps only.' });
  }
}

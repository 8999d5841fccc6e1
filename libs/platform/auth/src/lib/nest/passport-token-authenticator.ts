import { Injectable } from '@nestjs/common';
import type { Identity } from '../identity';
import { KeysUnavailableError, TokenError, type TokenErrorReason } from '../token-error';
import { EDGE_JWT_STRATEGY, EdgeJwtStrategy } from './edge-jwt.strategy';
import type { TokenAuthenticator } from './token-authenticator';

/** jsonwebtoken's errors (by name and message; it is not our dependency) as our reasons. */
export function tokenErrorFromPassport(failure: unknown): TokenError | KeysUnavailableError {
  if (failure instanceof TokenError || failure instanceof KeysUnavailableError) return failure;
  const { name, message } = (failure ?? {}) as { name?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  let reason: TokenErrorReason = 'malformed';
  if (name === 'TokenExpiredError') reason = 'expired';
  else if (name === 'NotBeforeError') reason = 'not-yet-valid';
  else if (name === 'JsonWebTokenError') {
    if (text === 'invalid signature') reason = 'bad-signature';
    else if (text.startsWith('jwt issuer invalid')) reason = 'wrong-issuer';
    else if (text.startsWith('jwt audience invalid')) reason = 'wrong-audience';
    else if (text === 'invalid algorithm') reason = 'alg-not-allowed';
  } else if (text === 'No auth token') reason = 'missing';
  return new TokenError(reason, { cause: failure });
}

/** TokenAuthenticator adapter running EdgeJwtStrategy (passport-jwt + jsonwebtoken). */
@Injectable()
export class PassportTokenAuthenticator implements TokenAuthenticator {
  constructor(private readonly strategy: EdgeJwtStrategy) {}

  authenticate(_token: string, request: object): Promise<Identity> {
    return new Promise<Identity>((resolve, reject) => {
      const middleware = this.strategy.getPassportInstance().authenticate(EDGE_JWT_STRATEGY, { session: false }, (error: unknown, user: unknown, info: unknown) => {
        if (error) reject(tokenErrorFromPassport(error));
        else if (!user) reject(tokenErrorFromPassport(info));
        else resolve(user as Identity);
      }) as (req: object, res: object, next: (error?: unknown) => void) => void;
      middleware(request, {}, (error) => reject(tokenErrorFromPassport(error)));
    });
  }
}

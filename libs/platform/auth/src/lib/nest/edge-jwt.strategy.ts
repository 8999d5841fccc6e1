import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { KeyObject } from 'node:crypto';
import { Passport } from 'passport';
import { ExtractJwt, Strategy, type StrategyOptionsWithRequest } from 'passport-jwt';
import { AccessTokenVerifier } from '../access-token-verifier';
import type { ResolvedAuthPolicy } from '../auth-policy';
import { identityFromClaims, type Identity } from '../identity';
import { TokenError } from '../token-error';
import { inspectTokenHeader } from '../token-header';

export const EDGE_JWT_STRATEGY = 'edge-jwt';

/** jsonwebtoken (under passport-jwt) cannot verify EdDSA/Ed25519: those stay jose-only. */
const JSONWEBTOKEN_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']);
type JwtAlgorithm = NonNullable<StrategyOptionsWithRequest['algorithms']>[number];

const pems = new WeakMap<KeyObject, string>();
function pemOf(key: KeyObject): string {
  let pem = pems.get(key);
  if (pem === undefined) {
    // jsonwebtoken gets a plain SPKI PEM and checks the key type against the alg itself.
    pem = key.export({ type: 'spki', format: 'pem' }).toString();
    pems.set(key, pem);
  }
  return pem;
}

const bearer = ExtractJwt.fromAuthHeaderAsBearerToken();
type PassportInstance = InstanceType<typeof Passport>;
const instances = new WeakMap<object, PassportInstance>();

/**
 * passport-jwt over the same JwksKeyStore and policy as AccessTokenVerifier: the key comes
 * from `secretOrKeyProvider` (header checked first, so `none`, HS256 and other unlisted algorithms never
 * reach jsonwebtoken), and validate() adds what jsonwebtoken does not enforce (`exp`
 * present, required claims). It registers on a Passport instance of its own, not the
 * process-wide one, so several apps in one process cannot overwrite each other.
 */
@Injectable()
export class EdgeJwtStrategy extends PassportStrategy(Strategy, EDGE_JWT_STRATEGY) {
  private readonly policy: ResolvedAuthPolicy;

  constructor(verifier: AccessTokenVerifier) {
    const policy = verifier.policy;
    super({
      jwtFromRequest: bearer,
      secretOrKeyProvider: (_request: unknown, rawJwt: string, done: (error: unknown, key?: string) => void) => {
        try {
          const header = inspectTokenHeader(rawJwt, policy.algorithms);
          verifier.keyStore
            .getKey(header.kid, header.alg)
            .then((key) => pemOf(key.key))
            .then(
              (pem) => done(null, pem),
              (error: unknown) => done(error),
            );
        } catch (error) {
          done(error);
        }
      },
      algorithms: policy.algorithms.filter((a) => JSONWEBTOKEN_ALGORITHMS.has(a)) as JwtAlgorithm[],
      issuer: policy.issuer,
      audience: [...policy.audiences],
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: policy.clockToleranceSec },
      passReqToCallback: true,
    });
    this.policy = policy;
  }

  validate(request: object, payload: Record<string, unknown>): Identity {
    const token = bearer(request as Parameters<typeof bearer>[0]);
    if (!token) throw new TokenError('missing');
    return identityFromClaims(payload, token, this.policy);
  }

  /** Called by PassportStrategy's constructor: register here instead of on the global passport. */
  getPassportInstance(): PassportInstance {
    let instance = instances.get(this);
    if (!instance) {
      instance = new Passport();
      instances.set(this, instance);
    }
    return instance;
  }
}

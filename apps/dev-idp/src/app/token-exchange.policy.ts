import { errors } from 'oidc-provider';
import { EDGE_API, resourceByAudience, resourceByIndicator, type ApiResource } from './resource-servers';

/** RFC 8693 token type identifiers this IdP accepts for subject tokens and issues. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const ACCEPTED_TOKEN_TYPES = new Set([ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE]);

export interface ExchangeRequest {
  subject_token?: string;
  subject_token_type?: string;
  actor_token?: string;
  requested_token_type?: string;
  resource?: string | string[];
  audience?: string | string[];
  scope?: string;
}

/** The single domain API a token is requested for: by `resource` (urn:orders-api) or `audience` (orders-api). */
export function resolveTarget(params: ExchangeRequest): ApiResource {
  if (Array.isArray(params.resource) || Array.isArray(params.audience)) {
    throw new errors.InvalidTarget('only one resource or audience may be requested per exchange');
  }
  const byResource = params.resource === undefined ? undefined : resourceByIndicator(params.resource);
  const byAudience = params.audience === undefined ? undefined : resourceByAudience(params.audience);
  if (params.resource === undefined && params.audience === undefined) {
    throw new errors.InvalidTarget('resource or audience is required (e.g. resource=urn:orders-api)');
  }
  if ((params.resource !== undefined && !byResource) || (params.audience !== undefined && !byAudience)) {
    throw new errors.InvalidTarget('unknown resource or audience');
  }
  if (byResource && byAudience && byResource !== byAudience) {
    throw new errors.InvalidTarget('resource and audience name different APIs');
  }
  const target = (byResource ?? byAudience) as ApiResource;
  // edge-api tokens are what clients hold; minting more of them here would let exchanged
  // tokens be exchanged again (the subject audience must stay distinct from the targets).
  if (target.indicator === EDGE_API) throw new errors.InvalidTarget('tokens for edge-api are not issued by token exchange');
  return target;
}

/** Checks the token-type parameters of RFC 8693 §2.1 (only access tokens are exchanged here). */
export function checkTokenTypes(params: ExchangeRequest): void {
  if (!params.subject_token) throw new errors.InvalidRequest('missing required parameter subject_token');
  if (!params.subject_token_type) throw new errors.InvalidRequest('missing required parameter subject_token_type');
  if (!ACCEPTED_TOKEN_TYPES.has(params.subject_token_type)) {
    throw new errors.InvalidRequest(`unsupported subject_token_type (use ${ACCESS_TOKEN_TYPE})`);
  }
  if (params.requested_token_type !== undefined && !ACCEPTED_TOKEN_TYPES.has(params.requested_token_type)) {
    throw new errors.InvalidRequest(`unsupported requested_token_type (only ${ACCESS_TOKEN_TYPE} is issued)`);
  }
  if (params.actor_token !== undefined) throw new errors.InvalidRequest('actor_token is not supported: the acting party is the authenticated client');
}

/**
 * Scope of the issued token: what was asked for, which must be within what the subject
 * token holds and what the target API understands; by default all of that intersection.
 */
export function exchangedScope(requested: string | undefined, subjectScope: string | undefined, target: ApiResource): string[] {
  const held = new Set((subjectScope ?? '').split(' ').filter(Boolean));
  const allowed = target.scopes.filter((s) => held.has(s));
  const asked = [...new Set((requested ?? '').split(' ').filter(Boolean))];
  const outside = asked.filter((s) => !allowed.includes(s as (typeof allowed)[number]));
  if (outside.length > 0) {
    throw new errors.InvalidScope(`scope not available for ${target.audience} from this subject token: ${outside.join(' ')}`, outside.join(' '));
  }
  const granted = asked.length > 0 ? asked : allowed;
  if (granted.length === 0) {
    throw new errors.InvalidScope(`the subject token holds no scope that ${target.audience} accepts`, '');
  }
  return granted;
}

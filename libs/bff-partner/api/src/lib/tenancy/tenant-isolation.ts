import { problem } from '@edge/problem-details';

/** Headers clients use to name a tenant (the edge strips identity headers; we check anyway). */
const TENANT_HEADERS = ['x-tenant-id', 'x-tenant', 'tenant-id', 'tenant', 'x-org-id'];
/** Field and parameter names that name a tenant, in any case and separator style. */
const TENANT_NAME = /^(x[-_]?)?(tenant|org|organi[sz]ation)([-_]?(id|name))?$/i;
const MAX_DEPTH = 8;

interface RequestParts {
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
  body?: unknown;
}

function values(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(values);
  return [];
}

/** Every value the request gives a tenant-naming field or parameter, anywhere in query or body. */
function namedTenants(value: unknown, depth = 0): string[] {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => namedTenants(v, depth + 1));
  const found: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (TENANT_NAME.test(key)) found.push(...values(inner), ...(typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? ['(object)'] : []));
    found.push(...namedTenants(inner, depth + 1));
  }
  return found;
}

/**
 * The tenant is the credential's, always. A request that names another tenant anywhere — a
 * tenant header, a query parameter or a body field — is refused with 403 before anything
 * else looks at it (not 400: the answer must not depend on which field carried the name, and
 * a partner learns nothing about other tenants from it). Naming one's own tenant is harmless
 * here; the published schema has no such field, so validation rejects it as unknown.
 * Path segments naming another tenant's resources end in the owning service's 404.
 */
export function assertOwnTenant(request: RequestParts, tenant: string): void {
  const named = [
    ...TENANT_HEADERS.flatMap((h) => values(request.headers[h])),
    ...namedTenants(request.query),
    ...namedTenants(request.body),
  ];
  const own = tenant.toLowerCase();
  if (named.some((name) => name.trim().toLowerCase() !== own)) {
    throw problem('forbidden', { detail: 'Requests act for the tenant of their credential only.' });
  }
}

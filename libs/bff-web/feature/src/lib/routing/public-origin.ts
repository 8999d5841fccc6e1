import { normalizeOrigin } from './browser-checks';

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.split(',', 1)[0]?.trim() || undefined;
}

/**
 * The origin the browser is using (directly, or through the gateway, which sets
 * X-Forwarded-Host/Proto), if it is one of ours; otherwise the default (first allowed)
 * origin. Headers can only choose among allowed origins, so a forged Host cannot steer the
 * redirect URI (or the post-logout URI) anywhere else.
 */
export function publicOrigin(headers: Record<string, string | string[] | undefined>, allowedOrigins: readonly string[]): string {
  const host = first(headers['x-forwarded-host']) ?? first(headers['host']);
  const proto = first(headers['x-forwarded-proto']) ?? 'http';
  const candidate = host ? normalizeOrigin(`${proto}://${host}`) : undefined;
  if (candidate && allowedOrigins.includes(candidate)) return candidate;
  return allowedOrigins[0] as string;
}

/**
 * dev-idp hands out tokens for well-known passwords and secrets: it must never run where
 * NODE_ENV says production (DESIGN.md §3). Checked before anything else starts.
 */
export function productionRefusal(env: Record<string, string | undefined> = process.env): string | undefined {
  if ((env['NODE_ENV'] ?? '').trim().toLowerCase() !== 'production') return undefined;
  return 'dev-idp refuses to start with NODE_ENV=production: it is a development OpenID Provider with fixed test users and client secrets. Use a real identity provider in production.';
}

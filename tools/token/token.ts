// Prints a dev-idp access token (DESIGN.md §3) for curl and friends.
//
//   npm run token -- --user alice [--client mobile-app] [--resource urn:orders-api] [--scope "..."]
//   npm run token -- --client partner-acme [--scope "..."]         (client credentials)
//   options: --issuer <url> (default $OIDC_ISSUER or http://localhost:4000), --password <p>,
//            --secret <client secret>, --redirect-uri <uri>, --json (the whole token response)
//
// Runs as `node tools/token/token.ts` on Node 24 (type stripping): erasable TypeScript only,
// and the client is imported by relative path with its .ts extension.
import type { TokenResponse } from '../../libs/platform/testing/src/lib/dev-idp-client.ts';

const USER_SCOPE = 'openid offline_access catalog:read orders:read orders:write profile:read recommendations:read';
const PARTNER_SCOPE = 'catalog:read orders:read orders:write';
const REDIRECTS: Record<string, string> = {
  'mobile-app': 'http://127.0.0.1/callback',
  'bff-web': 'http://localhost:3001/web/callback',
};
const PUBLIC_CLIENTS = new Set(['mobile-app']);
const FLAGS = new Set(['json', 'help']);
const OPTIONS = new Set(['user', 'password', 'client', 'secret', 'resource', 'scope', 'issuer', 'redirect-uri']);

const USAGE = `usage: npm run token -- --user <alice|bob|carol> [--client mobile-app|bff-web] [--resource urn:orders-api] [--scope "..."] [--json]
       npm run token -- --client <partner-acme|partner-globex|bff-mobile|bff-partner> [--scope "..."] [--resource ...] [--json]
other options: --issuer <url> --password <password> --secret <client secret> --redirect-uri <uri>`;

interface Args {
  flags: Set<string>;
  values: Map<string, string>;
}

function parseArgs(argv: string[]): Args {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (!match || name === undefined) throw new Error(`unexpected argument ${arg}`);
    if (FLAGS.has(name)) {
      flags.add(name);
      continue;
    }
    if (!OPTIONS.has(name)) throw new Error(`unknown option --${name}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
    values.set(name, value);
  }
  return { flags, values };
}

/** Dev secrets follow one pattern (<client>-secret); bff-web's can be overridden like dev-idp's. */
function defaultSecret(clientId: string): string | undefined {
  if (PUBLIC_CLIENTS.has(clientId)) return undefined;
  if (clientId === 'bff-web' && process.env['BFF_WEB_CLIENT_SECRET']) return process.env['BFF_WEB_CLIENT_SECRET'];
  return `${clientId}-secret`;
}

/** Node's warning about .ts files without "type": "module" is noise for a CLI; keep every other warning. */
function quietModuleTypeWarning(): void {
  const defaults = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code === 'MODULE_TYPELESS_PACKAGE_JSON') return;
    for (const listener of defaults) listener.call(process, warning);
  });
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const user = args.values.get('user');
  const clientId = args.values.get('client') ?? (user ? 'mobile-app' : undefined);
  if (!clientId) {
    process.stderr.write(`give --user (authorization code + PKCE) or --client (client credentials)\n${USAGE}\n`);
    return 2;
  }
  const issuer = args.values.get('issuer') ?? process.env['OIDC_ISSUER'] ?? 'http://localhost:4000';
  const clientSecret = args.values.get('secret') ?? defaultSecret(clientId);
  const resource = args.values.get('resource');

  quietModuleTypeWarning();
  // Loaded after the warning filter is in place (a static import would be linked before it).
  const client = await import('../../libs/platform/testing/src/lib/dev-idp-client.ts');
  let response: TokenResponse;
  try {
    if (user) {
      const redirectUri = args.values.get('redirect-uri') ?? REDIRECTS[clientId];
      if (!redirectUri) throw new Error(`no default redirect URI for ${clientId}: pass --redirect-uri`);
      response = await client.loginWithPkce({
        issuer,
        user,
        password: args.values.get('password') ?? 'password',
        clientId,
        clientSecret,
        redirectUri,
        scope: args.values.get('scope') ?? USER_SCOPE,
        resource,
      });
    } else {
      if (clientSecret === undefined) throw new Error(`${clientId} is a public client: use --user for it`);
      const scope = args.values.get('scope') ?? (clientId.startsWith('partner-') ? PARTNER_SCOPE : undefined);
      response = await client.clientCredentials({ issuer, clientId, clientSecret, scope, resource });
    }
  } catch (error) {
    // fetch() reports network failures as a TypeError whose cause says what happened.
    const cause = (error as Error & { cause?: Error }).cause;
    const message =
      error instanceof TypeError && cause
        ? `cannot reach ${issuer} (${cause.message}): is dev-idp running? try: npx nx serve dev-idp`
        : (error as Error).message;
    process.stderr.write(`token: ${message}\n`);
    return 1;
  }
  process.stdout.write(args.flags.has('json') ? `${JSON.stringify(response, null, 2)}\n` : `${response.access_token}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`token: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);

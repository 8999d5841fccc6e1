import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Provider } from 'oidc-provider';
import { problem } from '@edge/problem-details';
import { authenticate } from './accounts';
import { loginPage } from './views';

const MAX_FORM_BYTES = 16 * 1024;
const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login|\/abort)?$/;

/** Route template for logs and metrics, or undefined when the path is not an interaction page. */
export function interactionRoute(method: string, path: string): string | undefined {
  const match = ROUTE.exec(path);
  if (!match) return undefined;
  const [, , action] = match;
  if (action === '/login') return method === 'POST' ? '/interaction/:uid/login' : undefined;
  if (action === '/abort') return method === 'GET' ? '/interaction/:uid/abort' : undefined;
  return method === 'GET' ? '/interaction/:uid' : undefined;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw problem('unsupported-media-type', { detail: 'the login form is sent as application/x-www-form-urlencoded' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw problem('payload-too-large', { detail: `the login form is limited to ${MAX_FORM_BYTES} bytes` });
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    // Never framed (clickjacking). No form-action: Chromium applies it to the redirect chain
    // after the POST, which ends at the client's redirect_uri on another origin.
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(html);
}

/**
 * The interaction pages oidc-provider sends the browser to (its dev pages are off): a login
 * form, and consent, which is automatic because every client here is a first-party dev
 * client — it grants exactly the scopes, claims and resources the request asked for.
 */
export function createInteractions(provider: Provider, logger: Logger) {
  async function details(req: IncomingMessage, res: ServerResponse) {
    try {
      return await provider.interactionDetails(req, res);
    } catch (cause) {
      throw problem('bad-request', {
        detail: 'this sign-in request has expired or its cookie is missing; start again from the application',
        cause,
      });
    }
  }

  async function clientName(clientId: unknown): Promise<string> {
    const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
    return client?.clientName ?? (typeof clientId === 'string' ? clientId : 'the application');
  }

  async function consent(req: IncomingMessage, res: ServerResponse, interaction: Awaited<ReturnType<typeof details>>): Promise<void> {
    const { prompt, params, session, grantId } = interaction;
    if (!session) throw problem('bad-request', { detail: 'consent before login' });
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params['client_id'] as string });
    if (!grant) throw problem('bad-request', { detail: 'this sign-in request refers to a grant that no longer exists; start again' });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const savedGrantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: grantId ? {} : { grantId: savedGrantId } }, { mergeWithLastSubmission: true });
  }

  return {
    /** GET /interaction/:uid — the login form, or automatic consent. */
    async show(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const interaction = await details(req, res);
      if (interaction.prompt.name === 'login') {
        sendHtml(res, 200, loginPage({ uid: interaction.uid, clientName: await clientName(interaction.params['client_id']) }));
        return;
      }
      if (interaction.prompt.name === 'consent') {
        await consent(req, res, interaction);
        return;
      }
      throw problem('bad-request', { detail: `unsupported interaction prompt ${interaction.prompt.name}` });
    },

    /** POST /interaction/:uid/login — checks the form; wrong credentials show the form again. */
    async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const interaction = await details(req, res);
      if (interaction.prompt.name !== 'login') throw problem('bad-request', { detail: 'this sign-in request is not waiting for a login' });
      const form = await readForm(req);
      const login = form.get('login') ?? '';
      const user = authenticate(login, form.get('password') ?? '');
      if (!user) {
        logger.info({ event: 'login.failed', clientId: interaction.params['client_id'] }, 'login failed');
        sendHtml(res, 200, loginPage({
          uid: interaction.uid,
          clientName: await clientName(interaction.params['client_id']),
          login: login.slice(0, 64),
          error: 'Wrong username or password.',
        }));
        return;
      }
      logger.info({ event: 'login.succeeded', sub: user.id, clientId: interaction.params['client_id'] }, 'login succeeded');
      await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
    },

    /** GET /interaction/:uid/abort — the user cancelled: the client receives access_denied. */
    async abort(req: IncomingMessage, res: ServerResponse): Promise<void> {
      await details(req, res);
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the user cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
    },
  };
}

export type Interactions = ReturnType<typeof createInteractions>;

import { parseArgs } from 'node:util';
import { duration, loadConfig, optional, string, url } from '@edge/config';
import { ApiKeyAdminError, ApiKeyService, ApiKeyStoreError, createApiKeyRepository, DEFAULT_PARTNER_KEYS_FILE, type ApiKeyView } from '@edge/bff-partner-api-keys';

export const USAGE = `usage: npm run partner-keys -- <command> [options]

  create --tenant <tenant> --scopes <scope,scope> [--partner <client id>] [--expires <30d|12h|...>] [--label <text>] [--json]
         prints the new key once (stdout); only its hash is stored. Default partner: partner-<tenant>.
         A partner may hold two active keys at once (rotation): revoke one before creating a third.
  list   [--tenant <tenant>] [--partner <client id>] [--json]
  revoke <key id>

store: Redis when REDIS_URL is set, else the JSON file PARTNER_KEYS_FILE (default ${DEFAULT_PARTNER_KEYS_FILE}).
scopes: catalog:read, orders:read, orders:write`;

export interface CliIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
}

function table(keys: readonly ApiKeyView[]): string {
  const rows = [['ID', 'PARTNER', 'TENANT', 'SCOPES', 'STATUS', 'CREATED', 'EXPIRES', 'LABEL']];
  for (const k of keys) {
    rows.push([k.id, k.partner, k.tenant, k.scopes.join(','), k.status, k.createdAt, k.expiresAt ?? '-', k.label ?? '']);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** The partner-keys CLI: returns the exit code (0 ok, 1 refused or store failure, 2 usage). */
export async function runPartnerKeys(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        tenant: { type: 'string' },
        partner: { type: 'string' },
        scopes: { type: 'string' },
        expires: { type: 'string' },
        label: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    io.out(`${USAGE}\n`);
    return 0;
  }
  let settings;
  try {
    settings = loadConfig(
      { REDIS_URL: optional(url({ protocols: ['redis:', 'rediss:'] })), PARTNER_KEYS_FILE: string({ default: DEFAULT_PARTNER_KEYS_FILE }) },
      io.env,
    );
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 2;
  }
  const usage = (message: string) => {
    io.err(`${message}\n${USAGE}\n`);
    return 2;
  };
  if (command === 'create' && rest.length > 0) return usage(`unexpected argument ${rest[0]}`);
  if (command === 'list' && rest.length > 0) return usage(`unexpected argument ${rest[0]}`);
  if (command === 'revoke' && rest.length !== 1) return usage('revoke needs exactly one key id');
  if (command !== 'create' && command !== 'list' && command !== 'revoke') return usage(command ? `unknown command ${command}` : 'no command given');

  let expiresAt: Date | undefined;
  if (command === 'create') {
    if (!values.tenant) return usage('create needs --tenant');
    if (!values.scopes) return usage('create needs --scopes');
    if (values.expires !== undefined) {
      try {
        const { EXPIRES } = loadConfig({ EXPIRES: duration({ min: 1000 }) }, { EXPIRES: values.expires });
        expiresAt = new Date(Date.now() + EXPIRES);
      } catch {
        return usage(`--expires must be a duration of at least a second, such as 30d, 12h or 90m (got ${values.expires})`);
      }
    }
  }

  const repository = createApiKeyRepository({ redisUrl: settings.REDIS_URL, file: settings.PARTNER_KEYS_FILE });
  const service = new ApiKeyService(repository);
  try {
    await repository.ready();
    switch (command) {
      case 'create': {
        const scopes = (values.scopes ?? '').split(/[,\s]+/).filter(Boolean);
        const { key, record } = await service.create({
          tenant: values.tenant ?? '',
          scopes,
          ...(values.partner !== undefined ? { partner: values.partner } : {}),
          ...(expiresAt !== undefined ? { expiresAt } : {}),
          ...(values.label !== undefined ? { label: values.label } : {}),
        });
        if (values.json) {
          io.out(`${JSON.stringify({ key, ...record }, null, 2)}\n`);
        } else {
          io.err(`created key ${record.id} for ${record.partner} (tenant ${record.tenant}; ${record.scopes.join(' ')}; expires ${record.expiresAt ?? 'never'}) in ${repository.description}\n`);
          io.out(`${key}\n`);
          io.err('This is the only time the key is shown: store it now. Send it in the X-Api-Key header.\n');
        }
        return 0;
      }
      case 'list': {
        const keys = await service.list({
          ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
          ...(values.partner !== undefined ? { partner: values.partner } : {}),
        });
        io.out(values.json ? `${JSON.stringify(keys, null, 2)}\n` : `${table(keys)}\n`);
        return 0;
      }
      case 'revoke': {
        const record = await service.revoke(rest[0] ?? '');
        io.out(values.json ? `${JSON.stringify(record, null, 2)}\n` : `revoked ${record.id} (${record.partner}) at ${record.revokedAt}\n`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof ApiKeyAdminError || error instanceof ApiKeyStoreError) {
      io.err(`partner-keys: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await repository.close();
  }
}

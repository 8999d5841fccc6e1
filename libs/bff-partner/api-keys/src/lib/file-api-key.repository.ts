import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isApiKeyRecord, type ApiKeyRecord } from './api-key.record';
import type { ApiKeyRepository } from './api-key.repository';
import { ApiKeyStoreError } from './api-key-store.error';

interface KeyFile {
  version: 1;
  keys: ApiKeyRecord[];
}

interface Snapshot {
  ino: number;
  mtimeMs: number;
  size: number;
  records: ReadonlyMap<string, ApiKeyRecord>;
}

export interface FileRepositoryOptions {
  /** How long a writer waits for the lock. Default 3000. */
  lockTimeoutMs?: number;
  /** A lock older than this was left by a crashed writer and is broken. Default 10000. */
  staleLockMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Development adapter: one JSON file (mode 0600), written atomically (temp file + rename)
 * under a lock file, re-read whenever it changed on disk — so a key the CLI creates or
 * revokes takes effect on the next request of a running BFF, without a restart.
 */
export class FileApiKeyRepository implements ApiKeyRepository {
  readonly description: string;
  private snapshot: Snapshot | undefined;
  private readonly lockPath: string;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;

  constructor(
    private readonly file: string,
    options: FileRepositoryOptions = {},
  ) {
    this.description = `file ${file}`;
    this.lockPath = `${file}.lock`;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 3000;
    this.staleLockMs = options.staleLockMs ?? 10_000;
  }

  async ready(): Promise<void> {
    await this.load();
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    return (await this.load()).get(id);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...(await this.load()).values()];
  }

  async put(record: ApiKeyRecord): Promise<void> {
    const records = new Map(await this.load());
    records.set(record.id, record);
    const body: KeyFile = { version: 1, keys: [...records.values()] };
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(temp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
      await rename(temp, this.file);
    } catch (cause) {
      await unlink(temp).catch(() => undefined);
      throw new ApiKeyStoreError(`cannot write ${this.file}: ${(cause as Error).message}`, { cause });
    }
    this.snapshot = undefined;
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await this.lock();
    try {
      return await fn();
    } finally {
      await unlink(this.lockPath).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.snapshot = undefined;
  }

  /** The records as on disk now; parsed again only when the file changed (inode, mtime or size). */
  private async load(): Promise<ReadonlyMap<string, ApiKeyRecord>> {
    let info;
    try {
      info = await stat(this.file);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return new Map();
      throw new ApiKeyStoreError(`cannot read ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    const cached = this.snapshot;
    if (cached && cached.ino === info.ino && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.records;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.file, 'utf8'));
    } catch (cause) {
      throw new ApiKeyStoreError(`${this.file} is not readable JSON`, { cause });
    }
    const keys = (parsed as Partial<KeyFile> | null)?.keys;
    if ((parsed as Partial<KeyFile> | null)?.version !== 1 || !Array.isArray(keys)) throw new ApiKeyStoreError(`${this.file} is not a partner key file (version 1)`);
    const records = new Map<string, ApiKeyRecord>();
    keys.forEach((record: unknown, index) => {
      if (!isApiKeyRecord(record)) throw new ApiKeyStoreError(`${this.file}: keys[${index}] is not a valid key record`);
      records.set(record.id, Object.freeze({ ...record, scopes: Object.freeze([...record.scopes]) }));
    });
    this.snapshot = { ino: info.ino, mtimeMs: info.mtimeMs, size: info.size, records };
    return records;
  }

  private async lock(): Promise<void> {
    const deadline = Date.now() + this.lockTimeoutMs;
    await mkdir(path.dirname(this.file), { recursive: true });
    for (;;) {
      try {
        const handle = await open(this.lockPath, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return;
      } catch (error) {
        if (errnoCode(error) !== 'EEXIST') throw new ApiKeyStoreError(`cannot lock ${this.file}: ${(error as Error).message}`, { cause: error });
      }
      const age = await stat(this.lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > this.staleLockMs) {
        await unlink(this.lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new ApiKeyStoreError(`${this.lockPath} is held by another writer`);
      await sleep(20);
    }
  }
}

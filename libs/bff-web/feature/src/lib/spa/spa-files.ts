import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SpaFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The built SPA, read once at start-up into memory (it is a few kilobytes): serving it is
 * a map lookup, no request path ever reaches the file system (no traversal to guard), and
 * each file has a strong ETag. Files of unknown types are not served.
 */
export class SpaFiles {
  private readonly files = new Map<string, SpaFile>();

  constructor(readonly directory: string) {
    if (!existsSync(path.join(directory, 'index.html'))) {
      throw new Error(`the SPA is not built: ${path.join(directory, 'index.html')} is missing (build the app: node tools/build/build-app.mjs bff-web)`);
    }
    for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const type = TYPES[path.extname(entry.name).toLowerCase()];
      if (!type) continue;
      const full = path.join(entry.parentPath, entry.name);
      const body = readFileSync(full);
      const rel = path.relative(directory, full).split(path.sep).join('/');
      this.files.set(rel, { body, contentType: type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    }
  }

  /** A file by its path below the SPA root (`''` is index.html). */
  get(relativePath: string): SpaFile | undefined {
    return this.files.get(relativePath === '' ? 'index.html' : relativePath);
  }

  get index(): SpaFile {
    return this.files.get('index.html') as SpaFile;
  }
}

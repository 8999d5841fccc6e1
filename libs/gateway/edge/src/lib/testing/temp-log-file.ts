import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempLogFile {
  /** Open for writing, as a LineBuffer's descriptor. */
  readonly fd: number;
  readonly path: string;
  read(): string;
}

/** A fresh file per test (registers beforeEach/afterEach): what a LineBuffer wrote, read back. */
export function tempLogFile(): TempLogFile {
  let dir = '';
  let fd = -1;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'edge-log-'));
    fd = openSync(path.join(dir, 'out.log'), 'w');
  });
  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get fd() {
      return fd;
    },
    get path() {
      return path.join(dir, 'out.log');
    },
    read: () => readFileSync(path.join(dir, 'out.log'), 'utf8'),
  };
}

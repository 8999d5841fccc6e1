import { Writable } from 'node:stream';

/**
 * A ServerResponse stand-in for unit tests: records the head and the body bytes, behaves as a
 * Writable (pipe, backpressure, 'close' after the end) and can be torn down like a socket.
 */
export class FakeResponse extends Writable {
  statusCode = 200;
  headersSent = false;
  head: Record<string, string | string[] | number> = {};
  private readonly pending: Record<string, string | string[] | number> = {};
  private readonly chunks: Buffer[] = [];
  readonly finished: Promise<void>;

  constructor() {
    super();
    this.finished = new Promise((resolve) => this.once('close', () => resolve()));
  }

  setHeader(name: string, value: string | string[] | number): this {
    this.pending[name.toLowerCase()] = value;
    return this;
  }

  getHeader(name: string): string | string[] | number | undefined {
    return this.head[name.toLowerCase()] ?? this.pending[name.toLowerCase()];
  }

  writeHead(status: number, headers: Record<string, string | string[] | number | undefined> = {}): this {
    if (this.headersSent) throw new Error('head written twice');
    this.statusCode = status;
    this.head = { ...this.pending };
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) this.head[k.toLowerCase()] = v;
    this.headersSent = true;
    return this;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.headersSent) this.writeHead(this.statusCode);
    this.chunks.push(Buffer.from(chunk));
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.headersSent) this.writeHead(this.statusCode);
    callback();
  }

  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }

  header(name: string): string | undefined {
    const v = this.head[name.toLowerCase()];
    return v === undefined ? undefined : Array.isArray(v) ? v.join(', ') : String(v);
  }
}

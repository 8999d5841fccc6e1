import { Transform } from 'node:stream';
import type { ResponseHead } from '../exchange';

export type WriterDone = (body: Buffer | undefined, headers: Record<string, string | string[]>, status: number) => void;

/**
 * Tees the body (as the client gets it, before compression) into a cache entry. Bounded:
 * past `maxBytes` the copy is dropped and the response still streams on. The head is
 * snapshotted when final: at once, or — when a transform before this one defers the head —
 * when the first byte (or the end) comes through, before compression touches the head.
 * A stream torn down early (client gone, upstream cut) never stores.
 */
export class CacheWriter extends Transform {
  private chunks: Buffer[] = [];
  private size = 0;
  private over = false;
  private snapshot: { headers: Record<string, string | string[]>; status: number } | undefined;
  private done = false;

  constructor(
    private readonly head: ResponseHead,
    snapshotNow: boolean,
    private readonly maxBytes: number,
    private readonly onSnapshot: (head: ResponseHead) => void,
    private readonly onDone: WriterDone,
  ) {
    super();
    if (snapshotNow) this.takeSnapshot();
  }

  private takeSnapshot(): void {
    if (this.snapshot) return;
    this.snapshot = { headers: { ...this.head.headers }, status: this.head.status };
    this.onSnapshot(this.head);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.takeSnapshot();
    if (!this.over) {
      this.size += chunk.length;
      if (this.size > this.maxBytes) {
        this.over = true;
        this.chunks = [];
      } else this.chunks.push(chunk);
    }
    callback(null, chunk);
  }

  override _flush(callback: (error?: Error | null) => void): void {
    this.takeSnapshot();
    this.finish(this.over ? undefined : Buffer.concat(this.chunks));
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.finish(undefined);
    callback(error);
  }

  private finish(body: Buffer | undefined): void {
    if (this.done) return;
    this.done = true;
    const snap = this.snapshot ?? { headers: { ...this.head.headers }, status: this.head.status };
    this.chunks = [];
    this.onDone(body, snap.headers, snap.status);
  }
}

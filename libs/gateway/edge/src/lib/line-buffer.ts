import { write, writeSync } from 'node:fs';

export interface LineBufferOptions {
  /** Pending bytes that trigger a write (default 64 Ki). */
  flushBytes?: number;
  /** Pending bytes past which new lines are dropped and counted (default 4 Mi). */
  maxBytes?: number;
  /** Longest a line waits before it is written (default 1 s). */
  flushIntervalMs?: number;
}

const RETRY_MS = 10;
/** Lines are encoded into chunks of this size (or of flushBytes, when smaller). */
const CHUNK_BYTES = 64 * 1024;

/**
 * Lines for a file descriptor, written without blocking the event loop: one write(2) per
 * `flushBytes` or per interval, never two at once (lines stay whole and in order). A stuck
 * reader must not grow the heap, so past `maxBytes` lines are dropped and counted; a closed
 * descriptor (EPIPE, EBADF) stops writing for good.
 *
 * Each line is encoded into a chunk as it arrives. Appending lines to one pending string
 * kept every line's concatenation tree alive until the flush (garbage the scavenger copied),
 * then flattened and encoded ≈ 64 KiB at once: ≈ 4 µs a line on the gateway's hot path.
 */
export class LineBuffer {
  /** Chunks filled and waiting for their write, oldest first; the first may be in flight. */
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private readonly chunkBytes: number;
  private current: Buffer;
  private used = 0;
  /** A written chunk kept for reuse (no allocation per chunk in the steady state). */
  private spare: Buffer | undefined;
  private writing = false;
  private closed = false;
  private readonly flushBytes: number;
  private readonly maxBytes: number;
  private readonly timer: NodeJS.Timeout;
  /** Lines dropped because the buffer was full or the descriptor closed. */
  dropped = 0;

  constructor(
    readonly fd: number,
    options: LineBufferOptions = {},
  ) {
    this.flushBytes = options.flushBytes ?? 64 * 1024;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.chunkBytes = Math.max(1, Math.min(this.flushBytes, CHUNK_BYTES));
    this.current = Buffer.allocUnsafeSlow(this.chunkBytes);
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** `line` must end with a newline. */
  push(line: string): void {
    if (this.closed || this.queuedBytes + this.used > this.maxBytes) {
      this.dropped++;
      return;
    }
    // A UTF-16 unit encodes to at most 3 UTF-8 bytes: a line with room for that fits whole.
    const room = line.length * 3;
    if (room > this.chunkBytes - this.used) {
      this.seal();
      if (room > this.chunkBytes) {
        // Its own memory (never the shared pool's), so it may be recycled like a chunk.
        const long = Buffer.allocUnsafeSlow(Buffer.byteLength(line));
        long.utf8Write(line);
        this.enqueue(long);
        if (this.queuedBytes >= this.flushBytes) this.flush();
        return;
      }
    }
    this.used += this.current.utf8Write(line, this.used);
    if (this.queuedBytes + this.used >= this.flushBytes) this.flush();
  }

  flush(): void {
    if (this.closed) return;
    this.seal();
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    this.writeFrom(this.queue[0] as Buffer, 0);
  }

  /** Writes what is pending now, blocking (process exit; tests). */
  flushSync(): void {
    if (this.closed) return;
    this.seal();
    // A chunk in flight is the async write's to finish; the ones after it are written here.
    const from = this.writing ? 1 : 0;
    try {
      for (const chunk of this.queue.slice(from)) writeSync(this.fd, chunk);
    } catch {
      this.dropped++;
    }
    for (const chunk of this.queue.splice(from)) this.queuedBytes -= chunk.length;
  }

  /** Stops the timer; what is pending is written synchronously. */
  close(): void {
    clearInterval(this.timer);
    this.flushSync();
    this.closed = true;
  }

  /** Moves the current chunk's lines to the write queue. */
  private seal(): void {
    if (this.used === 0) return;
    this.enqueue(this.current.subarray(0, this.used));
    this.current = this.spare ?? Buffer.allocUnsafeSlow(this.chunkBytes);
    this.spare = undefined;
    this.used = 0;
  }

  private enqueue(chunk: Buffer): void {
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
  }

  private writeFrom(chunk: Buffer, offset: number): void {
    write(this.fd, chunk, offset, chunk.length - offset, null, (error, written) => {
      if (error && (error as NodeJS.ErrnoException).code === 'EAGAIN') {
        setTimeout(() => this.writeFrom(chunk, offset), RETRY_MS).unref();
        return;
      }
      if (error) {
        this.closed = true;
        this.writing = false;
        return;
      }
      if (offset + written < chunk.length) {
        this.writeFrom(chunk, offset + written);
        return;
      }
      this.queue.shift();
      this.queuedBytes -= chunk.length;
      if (chunk.buffer.byteLength === this.chunkBytes && chunk.byteOffset === 0) this.spare = Buffer.from(chunk.buffer, 0, this.chunkBytes);
      const next = this.queue[0];
      if (next) this.writeFrom(next, 0);
      else this.writing = false;
    });
  }
}

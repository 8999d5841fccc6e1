import { write, writeSync } from 'node:fs';

export interface LineBufferOptions {
  /** Pending bytes that trigger a write (default 256 Ki). */
  flushBytes?: number;
  /** Pending bytes past which new lines are dropped and counted (default 4 Mi). */
  maxBytes?: number;
  /** Longest a line waits before it is written (default 1 s). */
  flushIntervalMs?: number;
}

const RETRY_MS = 10;

const utf8Into = (out: Buffer, at: number, text: string): number => at + out.write(text, at, 'utf8');
/**
 * Lines are encoded into chunks of this size (or of flushBytes, when smaller). Each write
 * goes through libuv's thread pool (a thread handoff both ways): at ≈ 450 bytes a line, one
 * write per ≈ 580 lines rather than per ≈ 145 at 64 KiB. Lines still wait at most the interval.
 */
const CHUNK_BYTES = 256 * 1024;

/**
 * Lines for a file descriptor, written without blocking the event loop: one write(2) per
 * `flushBytes` or per interval, never two at once (lines stay whole and in order). A stuck
 * reader must not grow the heap, so past `maxBytes` lines are dropped and counted; a closed
 * descriptor (EPIPE, EBADF) stops writing for good.
 *
 * Each line is encoded into a chunk as it arrives. Appending lines to one pending string
 * kept every line's concatenation tree alive until the flush (garbage the scavenger copied),
 * then flattened and encoded them all at once: ≈ 4 µs a line on the gateway's hot path.
 */
export class LineBuffer {
  /** Chunks filled and waiting for their write, oldest first; the first may be in flight. */
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private readonly chunkBytes: number;
  private current: Buffer;
  private used = 0;
  /** Written chunks kept for reuse: no allocation (or external-memory GC pressure) per chunk. */
  private readonly spares: Buffer[] = [];
  /** The memory of chunks this buffer allocated (a long line's buffer may be the shared pool's). */
  private readonly chunks = new WeakSet<ArrayBufferLike>();
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
    this.flushBytes = options.flushBytes ?? CHUNK_BYTES;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.chunkBytes = Math.max(1, Math.min(this.flushBytes, CHUNK_BYTES));
    this.current = this.newChunk();
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** `line` must end with a newline. */
  push(line: string): void {
    // A UTF-16 unit encodes to at most 3 UTF-8 bytes.
    this.pushEncoded(line.length * 3, utf8Into, line);
  }

  /**
   * A line written by `encode` straight into the chunk being filled: it writes at most
   * `bound` bytes at `at`, ending with a newline, and returns where it stopped.
   */
  pushEncoded<T>(bound: number, encode: (out: Buffer, at: number, arg: T) => number, arg: T): void {
    if (this.closed || this.queuedBytes + this.used > this.maxBytes) {
      this.dropped++;
      return;
    }
    if (bound > this.chunkBytes - this.used) {
      this.seal();
      if (bound > this.chunkBytes) {
        const long = Buffer.allocUnsafe(bound);
        this.enqueue(long.subarray(0, encode(long, 0, arg)));
        if (this.queuedBytes >= this.flushBytes) this.writeQueued();
        return;
      }
    }
    this.used = encode(this.current, this.used, arg);
    // Full chunks go out; the one being filled waits for more lines (or the interval).
    if (this.queuedBytes > 0 && this.queuedBytes + this.used >= this.flushBytes) this.writeQueued();
    else if (this.used >= this.flushBytes) this.flush();
  }

  /** Writes everything pending, the chunk being filled included. */
  flush(): void {
    if (this.closed) return;
    this.seal();
    this.writeQueued();
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

  /**
   * Moves the current chunk's lines to the write queue. A chunk less than half full (the
   * interval's flush at low traffic) is queued as a copy of its lines and the chunk is kept:
   * a reader that stopped reading must not pin a whole chunk per interval (maxBytes counts
   * bytes of lines, not of chunks).
   */
  private seal(): void {
    if (this.used === 0) return;
    if (this.used < this.chunkBytes / 2) {
      this.enqueue(Buffer.from(this.current.subarray(0, this.used)));
      this.used = 0;
      return;
    }
    this.enqueue(this.current.subarray(0, this.used));
    this.current = this.spares.pop() ?? this.newChunk();
    this.used = 0;
  }

  private newChunk(): Buffer {
    const chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
    this.chunks.add(chunk.buffer);
    return chunk;
  }

  private writeQueued(): void {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    this.writeFrom(this.queue[0] as Buffer, 0);
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
      if (this.chunks.has(chunk.buffer) && this.spares.length < 2) this.spares.push(Buffer.from(chunk.buffer, 0, this.chunkBytes));
      const next = this.queue[0];
      if (next) this.writeFrom(next, 0);
      else this.writing = false;
    });
  }
}

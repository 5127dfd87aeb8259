/**
 * Small appends gathered in one buffer and handed on whole when it is full: one write per batch
 * instead of one per entry, and the entries' bytes off the JS heap while they wait (as strings
 * they lived long enough to be promoted to the old generation, garbage a full GC had to collect).
 */
export class ByteBatch {
  private buffer: Buffer | null = null;
  private length = 0;

  /** `full` receives each batch and keeps it: the next append starts a new buffer. */
  constructor(
    private readonly size: number,
    private readonly full: (bytes: Buffer) => void,
  ) {}

  /** Appends `text` as UTF-8. */
  appendText(text: string): void {
    // Three bytes a UTF-16 unit at most: text that may not fit goes after what is gathered.
    const most = text.length * 3;
    if (this.length + most > this.size) this.flush();
    if (most > this.size) this.full(Buffer.from(text, 'utf8'));
    else this.length += this.room().write(text, this.length, 'utf8');
  }

  appendBytes(bytes: Uint8Array): void {
    if (this.length + bytes.byteLength > this.size) this.flush();
    if (bytes.byteLength > this.size) {
      this.full(Buffer.from(bytes));
      return;
    }
    this.room().set(bytes, this.length);
    this.length += bytes.byteLength;
  }

  /** Hands what is gathered to `full`. */
  flush(): void {
    const bytes = this.take();
    if (bytes !== null) this.full(bytes);
  }

  /** What is gathered, given to the caller instead of `full`; null when nothing is. */
  take(): Buffer | null {
    if (this.buffer === null || this.length === 0) return null;
    const bytes = this.buffer.subarray(0, this.length);
    this.buffer = null;
    this.length = 0;
    return bytes;
  }

  private room(): Buffer {
    // Outside the pool: a batch is kept by a stream until written, and must not pin a pool slab.
    this.buffer ??= Buffer.allocUnsafeSlow(this.size);
    return this.buffer;
  }
}

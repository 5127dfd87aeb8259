import { createReadStream, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';

/** Where a chunk of values sits in a spill file: bytes `[start, end)`. */
export interface SpillRange {
  start: number;
  end: number;
}

/**
 * The file behind a spool: chunks appended (JSON values one per line, or bytes), opened on the
 * first chunk. Each chunk's byte range is returned, so a chunk can be read back on its own.
 */
export class SpillFile {
  private stream: WriteStream | null = null;
  private failure: Error | null = null;
  private bytes = 0;
  private draining: Promise<void> | null = null;

  constructor(readonly path: string) {}

  get opened(): boolean {
    return this.stream !== null;
  }

  /** Appends `values`, one JSON text per line. */
  write(values: readonly unknown[]): SpillRange {
    let chunk = '';
    for (const value of values) chunk += `${JSON.stringify(value)}\n`;
    return this.append(chunk);
  }

  /** Appends `chunk` as it is (text as UTF-8); the stream keeps it until written. */
  append(chunk: string | Uint8Array): SpillRange {
    if (this.stream === null) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.stream = createWriteStream(this.path, { flags: 'w' });
      // Kept and thrown from close(): a spill has no caller to reject.
      this.stream.on('error', (error) => {
        this.failure ??= error;
      });
    }
    const start = this.bytes;
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    this.stream.write(chunk);
    return { start, end: this.bytes };
  }

  /**
   * Resolves when what was written is on its way to disk (the stream's buffer is below its
   * high-water mark): a producer faster than the disk awaits this, so the buffer stays bounded.
   */
  drained(): Promise<void> {
    const stream = this.stream;
    if (stream === null || !stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
    // One listener however many producers wait.
    this.draining ??= once(stream, 'drain').then(
      () => {
        this.draining = null;
      },
      () => {
        this.draining = null;
      },
    );
    return this.draining;
  }

  /** Flushes and closes the file; throws the first write failure. */
  async close(): Promise<void> {
    const stream = this.stream;
    if (stream !== null && !stream.closed) {
      stream.end();
      await once(stream, 'close');
    }
    if (this.failure !== null) throw this.failure;
  }

  /**
   * The values of `range` (the whole file by default), in file order, in batches of one read's
   * lines: a value at a time through readline and an async generator cost several promise hops
   * each, most of the time it took to read back the manifest and central directory of an export.
   * Call after `close`.
   */
  async *read<T>(range?: SpillRange): AsyncGenerator<T[]> {
    // Small reads for a range: a merge reads every run at once.
    const decoder = new TextDecoder();
    let rest = '';
    for await (const chunk of this.bytesOf(range, range === undefined ? 1 << 16 : 16 * 1024)) {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = lines.pop()!;
      if (lines.length > 0) yield lines.map((line) => JSON.parse(line) as T);
    }
    rest += decoder.decode();
    if (rest !== '') yield [JSON.parse(rest) as T];
  }

  /** The bytes of `range` (the whole file by default), in reads of up to `readSize`. Call after `close`. */
  async *bytesOf(range: SpillRange | undefined, readSize: number): AsyncGenerator<Buffer> {
    // createReadStream reads a byte of an empty range (its end is inclusive).
    if (range !== undefined && range.end === range.start) return;
    yield* createReadStream(this.path, { start: range?.start, end: range === undefined ? undefined : range.end - 1, highWaterMark: readSize });
  }

  async dispose(): Promise<void> {
    if (this.stream !== null && !this.stream.closed) {
      this.stream.destroy();
      await once(this.stream, 'close');
    }
    await rm(this.path, { force: true });
  }
}

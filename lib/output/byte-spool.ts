import { ByteBatch } from './byte-batch.js';
import { SpillFile } from './spill-file.js';

/**
 * Bytes appended in order and read back once, in order: up to `memoryBytes` of them in memory,
 * the rest spilled to a file in batches of that size. The zip's central directory is one: its
 * headers are made as entries are recorded, so writing it out at the end is a copy (kept as JSON
 * values in a Spool, a 100k-item archive spent over a second parsing and laying them out there).
 */
export class ByteSpool {
  private readonly file: SpillFile;
  private readonly batch: ByteBatch;

  constructor(path: string, memoryBytes = 1 << 20) {
    this.file = new SpillFile(path);
    this.batch = new ByteBatch(memoryBytes, (bytes) => this.file.append(bytes));
  }

  append(bytes: Uint8Array): void {
    this.batch.appendBytes(bytes);
  }

  /** Every byte appended, in order, in chunks; call once, after the last `append`. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    if (this.file.opened) {
      this.batch.flush();
      await this.file.close();
      yield* this.file.bytesOf(undefined, 1 << 20);
      return;
    }
    const held = this.batch.take();
    if (held !== null) yield held;
  }

  async dispose(): Promise<void> {
    this.batch.take();
    await this.file.dispose();
  }
}

import { SpillFile } from './spill-file.js';

/**
 * An append-only list of JSON values that keeps at most `memoryLimit` of them in memory and
 * spills the rest, in order, to a JSONL file. The zip's central directory grows with the
 * dataset; this keeps it out of the heap.
 */
export class Spool<T> {
  private buffer: T[] = [];
  private readonly file: SpillFile;
  private count = 0;

  constructor(
    path: string,
    private readonly memoryLimit = 4096,
  ) {
    this.file = new SpillFile(path);
  }

  get size(): number {
    return this.count;
  }

  append(value: T): void {
    this.buffer.push(value);
    this.count += 1;
    if (this.buffer.length >= this.memoryLimit) this.spill();
  }

  /** Resolves when what has spilled is on its way to disk (see `SpillFile.drained`). */
  drained(): Promise<void> {
    return this.file.drained();
  }

  /** Every value in append order; call once, after the last `append`. */
  async *values(): AsyncGenerator<T> {
    if (!this.file.opened) {
      yield* this.buffer;
      return;
    }
    this.spill();
    await this.file.close();
    yield* this.file.read<T>();
  }

  async dispose(): Promise<void> {
    this.buffer = [];
    await this.file.dispose();
  }

  private spill(): void {
    if (this.buffer.length === 0) return;
    this.file.write(this.buffer);
    this.buffer = [];
  }
}

import { createReadStream, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/**
 * An append-only list of JSON values that keeps at most `memoryLimit` of them in memory and
 * spills the rest, in order, to a JSONL file. Manifests and error lists grow with the dataset;
 * this keeps them out of the heap.
 */
export class Spool<T> {
  private buffer: T[] = [];
  private file: WriteStream | null = null;
  private count = 0;
  private failure: Error | null = null;
  private draining: Promise<void> | null = null;

  constructor(
    private readonly path: string,
    private readonly memoryLimit = 4096,
  ) {}

  get size(): number {
    return this.count;
  }

  append(value: T): void {
    this.buffer.push(value);
    this.count += 1;
    if (this.buffer.length >= this.memoryLimit) this.spill();
  }

  /**
   * Resolves when what has spilled is on its way to disk (the file's buffer is below its
   * high-water mark). A producer that appends faster than the disk writes awaits this, so the
   * spill buffer cannot grow without bound.
   */
  drained(): Promise<void> {
    const file = this.file;
    if (file === null || !file.writableNeedDrain || file.destroyed) return Promise.resolve();
    // One listener however many producers wait.
    this.draining ??= once(file, 'drain').then(
      () => {
        this.draining = null;
      },
      () => {
        this.draining = null;
      },
    );
    return this.draining;
  }

  /** Every value in append order; call once, after the last `append`. */
  async *values(): AsyncGenerator<T> {
    if (this.file !== null) {
      this.spill();
      const file = this.file;
      file.end();
      if (!file.closed) await once(file, 'close');
      if (this.failure !== null) throw this.failure;
      const lines = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
      for await (const line of lines) yield JSON.parse(line) as T;
    } else {
      yield* this.buffer;
    }
  }

  /**
   * Every value in `compare` order; call once, after the last `append`. Values that spilled are
   * sorted in runs of `memoryLimit * 4`, written out in the usual spill-sized pieces, and merged,
   * so memory stays bounded at any size.
   */
  async *sorted(compare: (a: T, b: T) => number): AsyncGenerator<T> {
    if (this.file === null) {
      yield* [...this.buffer].sort(compare);
      return;
    }
    const runSize = this.memoryLimit * 4;
    const runs: Spool<T>[] = [];
    let run: T[] = [];
    const flushRun = async (): Promise<void> => {
      const spool = new Spool<T>(`${this.path}.run${runs.length}`, this.memoryLimit);
      runs.push(spool);
      for (const value of run.sort(compare)) {
        spool.append(value);
        // Reading runs ahead of a slow disk would pile the written runs up in memory.
        await spool.drained();
      }
      spool.spill();
      run = [];
    };
    try {
      for await (const value of this.values()) {
        run.push(value);
        if (run.length >= runSize) await flushRun();
      }
      if (run.length > 0) await flushRun();
      yield* mergeSorted(
        runs.map((r) => r.values()),
        compare,
      );
    } finally {
      await Promise.all(runs.map((r) => r.dispose()));
    }
  }

  async dispose(): Promise<void> {
    if (this.file !== null && !this.file.closed) {
      this.file.destroy();
      await once(this.file, 'close');
    }
    this.buffer = [];
    await rm(this.path, { force: true });
  }

  private spill(): void {
    if (this.buffer.length === 0) return;
    if (this.file === null) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.file = createWriteStream(this.path, { flags: 'w' });
      // Kept and thrown from values(): a spill has no caller to reject.
      this.file.on('error', (error) => {
        this.failure ??= error;
      });
    }
    let chunk = '';
    for (const value of this.buffer) chunk += `${JSON.stringify(value)}\n`;
    this.buffer = [];
    this.file.write(chunk);
  }
}

/** Merges sorted sequences into one sorted sequence, holding one value of each. */
async function* mergeSorted<T>(sources: AsyncGenerator<T>[], compare: (a: T, b: T) => number): AsyncGenerator<T> {
  const heads: Array<{ value: T; source: AsyncGenerator<T> }> = [];
  for (const source of sources) {
    const next = await source.next();
    if (!next.done) heads.push({ value: next.value, source });
  }
  while (heads.length > 0) {
    let smallest = 0;
    for (let i = 1; i < heads.length; i++) if (compare(heads[i]!.value, heads[smallest]!.value) < 0) smallest = i;
    const head = heads[smallest]!;
    yield head.value;
    const next = await head.source.next();
    if (next.done) heads.splice(smallest, 1);
    else head.value = next.value;
  }
}

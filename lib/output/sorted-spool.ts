import { SpillFile, type SpillRange } from './spill-file.js';

/**
 * A bag of JSON values read back once, sorted, holding at most `runSize` of them in memory.
 * Each time the buffer fills it is sorted and written as one run of the spill file; reading
 * merges the runs. Sorting while the export runs leaves only the merge for its end, so the
 * manifest of a million files needs no second pass over them (and no burst of memory) when the
 * export closes.
 */
export class SortedSpool<T> {
  private buffer: T[] = [];
  private readonly file: SpillFile;
  private readonly runs: SpillRange[] = [];
  private count = 0;

  constructor(
    path: string,
    private readonly compare: (a: T, b: T) => number,
    private readonly runSize = 16_384,
  ) {
    this.file = new SpillFile(path);
  }

  get size(): number {
    return this.count;
  }

  append(value: T): void {
    this.buffer.push(value);
    this.count += 1;
    if (this.buffer.length >= this.runSize) this.spillRun();
  }

  /** Every value in `compare` order; call once, after the last `append`. */
  async *sorted(): AsyncGenerator<T> {
    if (this.runs.length === 0) {
      yield* this.buffer.sort(this.compare);
      return;
    }
    this.spillRun();
    await this.file.close();
    yield* mergeSorted(
      this.runs.map((run) => this.file.read<T>(run)),
      this.compare,
    );
  }

  async dispose(): Promise<void> {
    this.buffer = [];
    await this.file.dispose();
  }

  private spillRun(): void {
    if (this.buffer.length === 0) return;
    this.runs.push(this.file.write(this.buffer.sort(this.compare)));
    this.buffer = [];
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

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdir, readdir } from 'node:fs/promises';
import { SortedSpool } from '../../lib/output/sorted-spool.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-sorted-spool-');
const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

async function collect<T>(values: AsyncIterable<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const value of values) seen.push(value);
  return seen;
}

describe('SortedSpool', () => {
  it('sorts in memory below one run, and merges sorted runs from disk above it', async () => {
    for (const count of [7, 5_000]) {
      const dir = await tempDir();
      const spool = new SortedSpool(join(dir, 'work', 's.jsonl'), byPath, 64);
      const paths = Array.from({ length: count }, (_, i) => `f${(i * 7919) % count}`);
      for (const path of paths) spool.append({ path });
      expect(spool.size).toBe(count);
      expect((await collect(spool.sorted())).map((v) => v.path)).toEqual([...paths].sort());
      await spool.dispose();
      expect(await readdir(dir)).toEqual(count > 64 ? ['work'] : []);
      if (count > 64) expect(await readdir(join(dir, 'work'))).toEqual([]);
    }
  });

  it('keeps every value of a run that ends exactly at the run size, and non-ASCII text', async () => {
    const spool = new SortedSpool(join(await tempDir(), 's.jsonl'), byPath, 4);
    const paths = ['é', 'b', 'a', 'ü', 'c', '中', 'd', 'a b'];
    for (const path of paths) spool.append({ path });
    expect((await collect(spool.sorted())).map((v) => v.path)).toEqual([...paths].sort());
    await spool.dispose();
  });

  it('throws the spill file’s write failure when read back, not at append', async () => {
    const dir = await tempDir();
    // A directory where the spill file should be: opening it fails in the background.
    await mkdir(join(dir, 's.jsonl'));
    const spool = new SortedSpool(join(dir, 's.jsonl'), byPath, 2);
    for (const path of ['c', 'b', 'a']) spool.append({ path });
    await expect(collect(spool.sorted())).rejects.toThrow(/EISDIR/);
  });
});

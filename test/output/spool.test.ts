import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdir, readdir } from 'node:fs/promises';
import { Spool } from '../../lib/output/spool.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { collect } from '../helpers/collect.js';

const tempDir = tempDirs('se-spool-');
const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

describe('Spool', () => {
  it('keeps append order across spills', async () => {
    const spool = new Spool<number>(join(await tempDir(), 'work', 's.jsonl'), { memoryLimit: 10 });
    for (let i = 0; i < 95; i++) spool.append(i);
    const seen = [];
    for await (const v of spool.values()) seen.push(v);
    expect(seen).toEqual(Array.from({ length: 95 }, (_, i) => i));
  });
});

describe('Spool.drained', () => {
  it('resolves at once when nothing has spilled', async () => {
    const spool = new Spool<number>(join(await tempDir(), 's.jsonl'));
    spool.append(1);
    await spool.drained();
    const values: number[] = [];
    for await (const value of spool.values()) values.push(value);
    expect(values).toEqual([1]);
  });

  it('lets a fast producer wait for the file, and keeps every value in order', async () => {
    const spool = new Spool<{ n: number; pad: string }>(join(await tempDir(), 's.jsonl'), { memoryLimit: 64 });
    const pad = 'x'.repeat(200);
    for (let n = 0; n < 50_000; n += 1) {
      spool.append({ n, pad });
      // Many producers awaiting at once (one 'drain' listener between them).
      await Promise.all([spool.drained(), spool.drained(), spool.drained()]);
    }
    let expected = 0;
    for await (const value of spool.values()) {
      expect(value.n).toBe(expected);
      expected += 1;
    }
    expect(expected).toBe(50_000);
    await spool.dispose();
  });
});

describe('Spool with compare', () => {
  it('sorts in memory below one run, and merges sorted runs from disk above it', async () => {
    for (const count of [7, 5_000]) {
      const dir = await tempDir();
      const spool = new Spool(join(dir, 'work', 's.jsonl'), { compare: byPath, memoryLimit: 64 });
      const paths = Array.from({ length: count }, (_, i) => `f${(i * 7919) % count}`);
      for (const path of paths) spool.append({ path });
      expect(spool.size).toBe(count);
      expect((await collect(spool.values())).map((v) => v.path)).toEqual([...paths].sort());
      await spool.dispose();
      expect(await readdir(dir)).toEqual(count > 64 ? ['work'] : []);
      if (count > 64) expect(await readdir(join(dir, 'work'))).toEqual([]);
    }
  });

  it('keeps every value of a run that ends exactly at the run size, and non-ASCII text', async () => {
    const spool = new Spool(join(await tempDir(), 's.jsonl'), { compare: byPath, memoryLimit: 4 });
    const paths = ['é', 'b', 'a', 'ü', 'c', '中', 'd', 'a b'];
    for (const path of paths) spool.append({ path });
    expect((await collect(spool.values())).map((v) => v.path)).toEqual([...paths].sort());
    await spool.dispose();
  });

  it('reads back runs many reads long whose multi-byte text straddles the reads, sorted or in append order', async () => {
    const values = Array.from({ length: 6_000 }, (_, i) => ({ path: `보행자/프레임_${String((i * 7919) % 6_000).padStart(5, '0')}_vélo.json`, size: i }));
    for (const compare of [byPath, undefined]) {
      const spool = new Spool<{ path: string; size: number }>(join(await tempDir(), 's.jsonl'), { compare, memoryLimit: 2_000 });
      for (const value of values) spool.append(value);
      expect(await collect(spool.values())).toEqual(compare === undefined ? values : [...values].sort(byPath));
      await spool.dispose();
    }
  });

  it('gives the same values in batches, merged batches no longer than 4,096, and none when empty', async () => {
    const paths = Array.from({ length: 9_000 }, (_, i) => `f${String((i * 7919) % 9_000).padStart(4, '0')}`);
    for (const compare of [byPath, undefined]) {
      const spool = new Spool<{ path: string }>(join(await tempDir(), 's.jsonl'), { compare, memoryLimit: 1_000 });
      for (const path of paths) spool.append({ path });
      const batches = await collect(spool.batches());
      expect(batches.flat().map((v) => v.path)).toEqual(compare === undefined ? paths : [...paths].sort());
      if (compare !== undefined) expect(batches.map((batch) => batch.length)).toEqual([4_096, 4_096, 808]);
      await spool.dispose();
    }
    expect(await collect(new Spool(join(await tempDir(), 'e.jsonl')).batches())).toEqual([]);
  });

  it('throws the spill file’s write failure when read back, not at append', async () => {
    const dir = await tempDir();
    // A directory where the spill file should be: opening it fails in the background.
    await mkdir(join(dir, 's.jsonl'));
    const spool = new Spool(join(dir, 's.jsonl'), { compare: byPath, memoryLimit: 2 });
    for (const path of ['c', 'b', 'a']) spool.append({ path });
    await expect(collect(spool.values())).rejects.toThrow(/EISDIR/);
  });
});

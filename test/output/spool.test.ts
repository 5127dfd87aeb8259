import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { Spool } from '../../lib/output/spool.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-spool-');

describe('Spool', () => {
  it('keeps append order across spills', async () => {
    const spool = new Spool<number>(join(await tempDir(), 'work', 's.jsonl'), 10);
    for (let i = 0; i < 95; i++) spool.append(i);
    const seen = [];
    for await (const v of spool.values()) seen.push(v);
    expect(seen).toEqual(Array.from({ length: 95 }, (_, i) => i));
  });

  it('sorts in memory and, past its limit, with sorted runs on disk merged back', async () => {
    for (const count of [7, 5_000]) {
      const dir = await tempDir();
      const spool = new Spool<{ path: string }>(join(dir, 's.jsonl'), 8);
      const paths = Array.from({ length: count }, (_, i) => `f${(i * 7919) % count}`);
      for (const path of paths) spool.append({ path });
      const seen: string[] = [];
      for await (const v of spool.sorted((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) seen.push(v.path);
      expect(seen).toEqual([...paths].sort());
      await spool.dispose();
      // Run files are gone once sorted.
      expect((await readdir(dir)).filter((f) => f.includes('.run'))).toEqual([]);
    }
  });
});

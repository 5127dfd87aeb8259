import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
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
    const spool = new Spool<{ n: number; pad: string }>(join(await tempDir(), 's.jsonl'), 64);
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

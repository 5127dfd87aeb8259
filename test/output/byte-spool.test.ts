import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { ByteSpool } from '../../lib/output/byte-spool.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { collect } from '../helpers/collect.js';

const tempDir = tempDirs('se-byte-spool-');

/** `count` appends of 1 to 40 bytes each, every byte telling where it was appended. */
function appends(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.alloc(1 + ((i * 7) % 40), i % 251));
}

describe('ByteSpool', () => {
  it('gives back every byte in order, held in memory when they fit', async () => {
    const dir = await tempDir();
    const spool = new ByteSpool(join(dir, 'work', 'd.bin'), 4096);
    const parts = appends(100);
    for (const part of parts) spool.append(part);
    expect(Buffer.concat(await collect(spool.chunks()))).toEqual(Buffer.concat(parts));
    await spool.dispose();
    expect(await readdir(dir)).toEqual([]);
  });

  it('spills batches to its file and reads them back in order, with what is still held', async () => {
    const dir = await tempDir();
    const path = join(dir, 'work', 'd.bin');
    const spool = new ByteSpool(path, 256);
    // One append bigger than the batch, between ordinary ones.
    const parts = [...appends(500), Buffer.alloc(1000, 7), ...appends(30)];
    for (const part of parts) spool.append(part);
    expect(Buffer.concat(await collect(spool.chunks()))).toEqual(Buffer.concat(parts));
    expect(await readdir(join(dir, 'work'))).toEqual(['d.bin']);
    await spool.dispose();
    expect(await readdir(join(dir, 'work'))).toEqual([]);
  });

  it('gives back nothing when nothing was appended', async () => {
    const spool = new ByteSpool(join(await tempDir(), 'd.bin'));
    expect(await collect(spool.chunks())).toEqual([]);
  });
});

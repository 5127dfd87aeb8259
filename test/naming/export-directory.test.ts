import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reserveExportDirectory } from '../../lib/naming/export-directory.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'se-dir-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('reserveExportDirectory', () => {
  it('creates name, then name(1), name(2)', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(basename(await reserveExportDirectory(root, 'my_export')));
    expect(made).toEqual(['my_export', 'my_export(1)', 'my_export(2)']);
  });

  it('gives twenty concurrent reservations twenty different directories', async () => {
    const made = await Promise.all(Array.from({ length: 20 }, () => reserveExportDirectory(join(root, 'nested', 'parent'), 'run')));
    expect(new Set(made).size).toBe(20);
    expect((await readdir(join(root, 'nested', 'parent'))).length).toBe(20);
  });

  it('keeps an unsafe name inside the parent', async () => {
    const made = await reserveExportDirectory(root, '../../escape');
    expect(made).toBe(join(root, 'escape'));
  });

  it('fails with ERR_OUTPUT_UNWRITABLE when the parent cannot be created', async () => {
    const file = join(root, 'file');
    await writeFile(file, 'x');
    await expect(reserveExportDirectory(join(file, 'below'), 'x')).rejects.toMatchObject({
      code: 'ERR_OUTPUT_UNWRITABLE',
      message: expect.stringContaining('Cannot create the export directory'),
    });
  });

  // Node's own recursive mkdir loops forever there; the export must fail instead.
  it.skipIf(!existsSync('/proc/self'))('fails, and does not hang, under a folder that refuses new folders (/proc)', async () => {
    await expect(reserveExportDirectory('/proc/synapse-export-test/out', 'x')).rejects.toMatchObject({
      code: 'ERR_OUTPUT_UNWRITABLE',
      message: expect.stringContaining('/proc/synapse-export-test/out'),
    });
  });

  it('creates every missing level of a deep parent', async () => {
    const made = await reserveExportDirectory(join(root, 'a', 'b', 'c'), 'x');
    expect(made).toBe(join(root, 'a', 'b', 'c', 'x'));
  });
});

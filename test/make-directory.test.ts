import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from '../lib/make-directory.js';
import { tempDirs } from './helpers/temp-dir.js';

const tempDir = tempDirs('se-make-directory-');

describe('makeDirectory', () => {
  it('makes every missing level, and accepts folders that exist or that others make at the same time', async () => {
    const root = await tempDir();
    const deep = join(root, 'a', 'b', 'c');
    await Promise.all(Array.from({ length: 10 }, () => makeDirectory(deep)));
    expect((await stat(deep)).isDirectory()).toBe(true);
    await makeDirectory(deep);
    expect(await readdir(join(root, 'a'))).toEqual(['b']);
  });

  it('fails like mkdir where a level is a file', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'file'), 'x');
    await expect(makeDirectory(join(root, 'file', 'below'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  // Node's own recursive mkdir retries forever there.
  it.skipIf(!existsSync('/proc/self'))('fails, and does not hang, under a folder that refuses new folders (/proc)', async () => {
    await expect(makeDirectory('/proc/synapse-export-test/a/b')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkTree } from '../lib/walk-tree.js';
import { tempDirs } from './helpers/temp-dir.js';

const tempDir = tempDirs('se-walk-');

describe('walkTree', () => {
  it('yields every file and folder under the root, with relative and absolute paths, skipping the folders asked', async () => {
    const root = await tempDir();
    const expected: string[] = [];
    for (const folder of ['a', 'a/b', 'skipped', 'c']) await mkdir(join(root, folder), { recursive: true });
    expected.push('a', 'a/b', 'c');
    for (let i = 0; i < 100; i++) {
      await writeFile(join(root, 'a', `${i}.txt`), '');
      await writeFile(join(root, 'a', 'b', `${i}.txt`), '');
      expected.push(`a/${i}.txt`, `a/b/${i}.txt`);
    }
    await writeFile(join(root, 'skipped', 'x.txt'), '');
    await writeFile(join(root, 'top.txt'), '');
    expected.push('top.txt');
    const seen = [];
    for await (const entry of walkTree(root, (path) => path === 'skipped')) {
      expect(entry.absolute).toBe(join(root, entry.path));
      seen.push(entry);
    }
    expect(seen.map((e) => e.path).sort()).toEqual(expected.sort());
    expect(seen.filter((e) => e.directory).map((e) => e.path).sort()).toEqual(['a', 'a/b', 'c']);
  });
});

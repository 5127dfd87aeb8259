import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveInto } from '../../lib/output/move-into.js';
import { readTree, tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-move-');

async function tree(root: string, files: Record<string, string>): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}


describe('moveInto', () => {
  it('moves a folder into one that has folders of the same names, merging them, and removes the source', async () => {
    const dir = await tempDir();
    const from = await tree(join(dir, 'from'), { 'json/a.json': 'a', 'json/sub/b.json': 'b', 'origin_files/a.png': 'pa', 'top.txt': 'new top' });
    const to = await tree(join(dir, 'to'), { 'json/old.json': 'old', 'top.txt': 'old top' });
    await mkdir(join(to, 'origin_files')); // empty: replaced whole
    await moveInto(from, to);
    expect(await readTree(to)).toEqual({ 'json/a.json': 'a', 'json/old.json': 'old', 'json/sub/b.json': 'b', 'origin_files/a.png': 'pa', 'top.txt': 'new top' });
    expect(await readdir(dir)).toEqual(['to']);
  });

  it('refuses to put a folder where a file of its name is, and moves nothing more', async () => {
    const dir = await tempDir();
    const from = await tree(join(dir, 'from'), { 'json/a.json': 'a' });
    const to = await tree(join(dir, 'to'), { json: 'a file' });
    await expect(moveInto(from, to)).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(await readTree(from)).toEqual({ 'json/a.json': 'a' });
    expect(await readTree(to)).toEqual({ json: 'a file' });
  });
});

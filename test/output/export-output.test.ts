import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportOutput } from '../../lib/output/export-output.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-output-');
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('ExportOutput', () => {
  it('writes files and chunked files, records size and sha256 of each for the manifest', async () => {
    const root = await tempDir();
    const output = new ExportOutput(root);
    await output.mkdir('sub');
    await output.writeFile('sub/a.txt', 'héllo');
    async function* parts(): AsyncGenerator<string> {
      yield '[';
      for (let i = 0; i < 3; i++) yield `${i ? ',' : ''}${i}`;
      yield ']';
    }
    await output.writeChunks('big.json', parts());
    expect(await readFile(join(root, 'big.json'), 'utf8')).toBe('[0,1,2]');
    const recorded = [];
    for await (const entry of output.recordedFiles()) recorded.push(entry);
    // Sorted by path, whatever order the files were written in.
    expect(recorded).toEqual([
      { path: 'big.json', size: 7, sha256: sha('[0,1,2]') },
      { path: 'sub/a.txt', size: Buffer.byteLength('héllo'), sha256: sha('héllo') },
    ]);
  });

  it('refuses paths that leave the export directory', async () => {
    const output = new ExportOutput(await tempDir());
    for (const bad of ['../x', '/etc/passwd', 'a/../../x', 'a\0b']) {
      expect(() => output.resolve(bad)).toThrow(expect.objectContaining({ code: 'ERR_PATH_OUTSIDE_EXPORT' }));
    }
    expect(output.resolve('a/../b')).toMatch(/b$/);
  });

  it('writes through a partial name and renames, so a final name only ever holds a whole file', async () => {
    const root = await tempDir();
    const output = new ExportOutput(root);
    // A partial left by a crash is simply overwritten, and so is the file on a resumed save.
    await writeFile(join(root, 'a.txt.partial'), 'torn');
    await output.writeFile('a.txt', 'one');
    await output.writeFile('a.txt', 'two');
    await output.copyFile(join(root, 'a.txt'), 'b.txt');
    expect(await readdir(root)).toEqual(['a.txt', 'b.txt']);
    expect(await readFile(join(root, 'b.txt'), 'utf8')).toBe('two');
  });

  it('spills a long file list to disk and reads it back sorted by path', async () => {
    const root = await tempDir();
    const output = new ExportOutput(root);
    const paths = Array.from({ length: 10_000 }, (_, i) => `f${String((i * 7919) % 10_000).padStart(5, '0')}`);
    for (const path of paths) output.record(path, { size: 1, sha256: 'x' });
    const seen: string[] = [];
    for await (const entry of output.recordedFiles()) seen.push(entry.path);
    expect(seen).toEqual([...paths].sort());
    await output.dispose();
  });
});

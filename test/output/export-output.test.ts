import { createHash } from 'node:crypto';
import { link, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZipArchive } from '../../lib/archive/zip-archive.js';
import { ExportOutput, STAGING_DIRECTORY } from '../../lib/output/export-output.js';
import { JOURNAL_FILE } from '../../lib/output/journal.js';
import { collect } from '../helpers/collect.js';
import { listFiles, readTree, tempDirs } from '../helpers/temp-dir.js';
import { readZip } from '../helpers/zip.js';

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
    const recorded = (await collect(output.recordedFiles())).flat();
    // Sorted by path, whatever order the files were written in.
    expect(recorded).toEqual([
      { path: 'big.json', size: 7, sha256: sha('[0,1,2]') },
      { path: 'sub/a.txt', size: Buffer.byteLength('héllo'), sha256: sha('héllo') },
    ]);
  });

  it('writeJson lays compact JSON out byte for byte as JSON.stringify with an indent, in a folder and in a zip', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 300; i++) deep = i % 2 ? [deep] : { level: deep };
    const values: unknown[] = [
      { a: {}, b: [], c: [{}, []], d: 'quote " backslash \\ braces {}[] , : "', 'k"ey': 'é 😀 \u2028 \t\n', n: [-1.5e-7, 0, 1e21, true, false, null] },
      [[[]]],
      'just a string',
      42,
      deep,
      // Over the worker's first layout buffer (64 KB).
      Array.from({ length: 3000 }, (_, i) => ({ id: i, label: 'vélo', box: [i, i + 1, 20, 30] })),
    ];
    for (const indent of [4, 2]) {
      const root = await tempDir();
      const archived = join(root, 'out.zip');
      const archive = new ZipArchive({ destination: archived, workDirectory: join(root, 'work') });
      await mkdir(join(root, 'folder'));
      const output = new ExportOutput(join(root, 'folder'), { archive, looseFiles: true });
      await Promise.all(values.map((value, i) => output.writeJson(`${i}.json`, JSON.stringify(value), indent)));
      await archive.finish();
      const zipped = await readZip(archived);
      for (const [i, value] of values.entries()) {
        const expected = JSON.stringify(value, null, indent);
        expect(await readFile(join(root, 'folder', `${i}.json`), 'utf8')).toBe(expected);
        expect(zipped.get(`${i}.json`)?.toString('utf8')).toBe(expected);
      }
      const recorded = (await collect(output.recordedFiles())).flat();
      expect(recorded.find((entry) => entry.path === '0.json')).toMatchObject({ size: Buffer.byteLength(JSON.stringify(values[0], null, indent)), sha256: sha(JSON.stringify(values[0], null, indent)) });
    }
  });

  it('writeJson ends on a text cut inside a string (not JSON.stringify output) instead of looping', async () => {
    const root = await tempDir();
    const output = new ExportOutput(root);
    await output.writeJson('cut.json', '{"a":"cut \\', 4);
    expect(await readFile(join(root, 'cut.json'), 'utf8')).toBe('{\n    "a": "cut \\');
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

  it('stages files under their own names until published; files written into its folders directly join them', async () => {
    const root = await tempDir();
    // What a resumed export holds: published files and its journal.
    await mkdir(join(root, 'json'));
    await writeFile(join(root, 'json', 'old.json'), 'old');
    await writeFile(join(root, JOURNAL_FILE), '');
    const output = new ExportOutput(root);
    await mkdir(join(root, 'origin_files', 'sub'), { recursive: true });
    await output.beginStaging();
    expect((await readdir(join(root, STAGING_DIRECTORY), { recursive: true })).sort()).toEqual(['json', 'origin_files', 'origin_files/sub']);
    expect(await readdir(join(root, 'origin_files'))).toEqual(['sub']);

    await output.writeFile('json/a.json', '{"a": 1}');
    await output.copyFile(join(root, 'json', 'old.json'), 'origin_files/a.png');
    await output.writeChunks('json/big.json', ['[', '1', ']']);
    await output.writeFile('json/old.json', 'new'); // a resumed item saved again
    await writeFile(join(root, 'json', 'raw.json'), 'raw'); // a plugin writing into ctx.paths
    expect(output.resolve('json/a.json')).toBe(join(root, STAGING_DIRECTORY, 'json', 'a.json'));
    expect(await output.locate('json/a.json')).toEqual({ path: join(root, STAGING_DIRECTORY, 'json', 'a.json'), size: 8 });
    expect(await output.locate('json/raw.json')).toEqual({ path: join(root, 'json', 'raw.json'), size: 3 });
    expect((await output.locate('json/none.json')).size).toBeUndefined();
    expect((await listFiles(root)).filter((p) => !p.startsWith(STAGING_DIRECTORY))).toEqual([JOURNAL_FILE, 'json/old.json', 'json/raw.json']);
    expect(await readFile(join(root, 'json', 'old.json'), 'utf8')).toBe('old');

    await output.publish();
    expect(await readTree(root)).toEqual({
      [JOURNAL_FILE]: '',
      'json/a.json': '{"a": 1}',
      'json/big.json': '[1]',
      'json/old.json': 'new',
      'json/raw.json': 'raw',
      'origin_files/a.png': 'old',
    });
    expect(await readdir(root)).not.toContain(STAGING_DIRECTORY);
    expect(output.resolve('classes.txt')).toBe(join(root, 'classes.txt'));
    await output.writeFile('classes.txt', 'car\n');
    expect(await readFile(join(root, 'classes.txt'), 'utf8')).toBe('car\n');
  });

  it('never writes into a file a resumed export left in staging: it may be a hard link to a source', async () => {
    const root = await tempDir();
    const source = `${root}-source.png`;
    const other = `${root}-other.png`;
    await Promise.all([writeFile(source, 'the source'), writeFile(other, 'copied')]);
    const output = new ExportOutput(root);
    await mkdir(join(root, 'origin_files'));
    await output.beginStaging();
    const saves = {
      'origin_files/copy.png': (path: string) => output.copyFile(other, path),
      'origin_files/write.png': (path: string) => output.writeFile(path, 'written'),
      'origin_files/chunks.png': (path: string) => output.writeChunks(path, ['chunk', 'ed']),
    };
    for (const [path, save] of Object.entries(saves)) {
      await link(source, output.resolve(path));
      await save(path);
      expect(await readFile(source, 'utf8'), path).toBe('the source');
    }
    await output.publish();
    expect(await readTree(root)).toEqual({ 'origin_files/chunks.png': 'chunked', 'origin_files/copy.png': 'copied', 'origin_files/write.png': 'written' });
  });

  it('spills a long file list to disk and reads it back sorted by path', async () => {
    const root = await tempDir();
    const output = new ExportOutput(root);
    const paths = Array.from({ length: 10_000 }, (_, i) => `f${String((i * 7919) % 10_000).padStart(5, '0')}`);
    for (const path of paths) output.record(path, { size: 1, sha256: 'x' });
    const seen = (await collect(output.recordedFiles())).flat().map((entry) => entry.path);
    expect(seen).toEqual([...paths].sort());
    await output.dispose();
  });
});

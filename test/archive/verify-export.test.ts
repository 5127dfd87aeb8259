import { createHash } from 'node:crypto';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyExport } from '../../lib/archive/verify-export.js';
import { ZipArchive } from '../../lib/archive/zip-archive.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-verify-');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A folder export written by hand: `files` on disk, `listed` in its manifest. */
async function folderExport(files: Record<string, string>, listed: unknown): Promise<string> {
  const dir = await tempDir();
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await writeFile(join(dir, 'export_manifest.json'), typeof listed === 'string' ? listed : JSON.stringify(listed, null, 4));
  return dir;
}

const entry = (path: string, text: string): { path: string; size: number; sha256: string } => ({ path, size: Buffer.byteLength(text), sha256: sha256(text) });

describe('verifyExport', () => {
  it('walks the manifest and the files in path order whatever order the manifest lists them in', async () => {
    const files = { 'json/b.json': '{"b": 1}', 'json/a.json': '{"a": 1}', 'origin_files/é.png': 'png', 'z.txt': 'z' };
    const listed = Object.entries(files)
      .map(([path, text]) => entry(path, text))
      .reverse();
    const dir = await folderExport(files, { manifest_version: 1, files: listed });
    expect(await verifyExport(dir)).toEqual({ checked: [dir], expected: 4, missing: [], extra: [], corrupt: [], ok: true });
  });

  it('finds every file of folders holding many (Node 20\'s recursive opendir saw 32 per subfolder), and linked ones', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) {
      files[`json/${i}.json`] = `{"i": ${i}}`;
      files[`origin_files/deep/${i}.png`] = `png ${i}`;
    }
    const source = `${await tempDir()}/source.png`;
    await writeFile(source, 'linked');
    const dir = await folderExport(files, { files: [...Object.entries(files).map(([path, text]) => entry(path, text)), entry('origin_files/linked.png', 'linked')] });
    // An original saved with mediaMode 'symlink' is checked by its content.
    await symlink(source, join(dir, 'origin_files', 'linked.png'));
    expect(await verifyExport(dir)).toMatchObject({ expected: 601, missing: [], extra: [], corrupt: [], ok: true });
  });

  it('reports every kind of problem at once, sorted by path', async () => {
    const dir = await folderExport(
      { 'a.txt': 'changes', 'b.txt': 'bigger than listed', 'c.txt': 'extra', 'e.txt': 'ok' },
      { files: [entry('a.txt', 'changed'), entry('b.txt', 'small'), entry('d.txt', 'gone'), entry('e.txt', 'ok'), entry('f.txt', 'gone too')] },
    );
    const report = await verifyExport(dir);
    expect(report).toMatchObject({ expected: 5, missing: ['d.txt', 'f.txt'], extra: ['c.txt'], ok: false });
    expect(report.corrupt).toEqual([
      { path: 'a.txt', reason: `sha256 ${sha256('changes')}, manifest says ${sha256('changed')}` },
      { path: 'b.txt', reason: 'size 18, manifest says 5' },
    ]);
  });

  it('checks an archive the same way, and leaves no scratch files behind', async () => {
    const dir = await tempDir();
    const archive = new ZipArchive({ destination: join(dir, 'x.zip'), workDirectory: join(dir, 'work'), level: 0 });
    await archive.addBuffer('json/1.json', '{}');
    await archive.addBuffer('json/2.json', '[]');
    await archive.addBuffer('export_manifest.json', JSON.stringify({ files: [entry('json/1.json', '{}'), entry('json/3.json', 'x')] }));
    const [zip] = await archive.finish();
    const before = (await readdir(tmpdir())).filter((name) => name.startsWith('synapse-export-verify-'));
    expect(await verifyExport(zip!)).toMatchObject({ expected: 2, missing: ['json/3.json'], extra: ['json/2.json'], corrupt: [], ok: false });
    expect((await readdir(tmpdir())).filter((name) => name.startsWith('synapse-export-verify-'))).toEqual(before);
  });

  it('rejects manifests it cannot check against, naming the manifest', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ manifest_version: 1, name: 'no list' }, /has no "files" list/],
      [{ files: [{ path: 'a.txt', size: 1 }] }, /files\[0\] is not \{path, size, sha256\}/],
      ['{"files": [{"path": "a.txt", "size": 1, "sha256": "00"}, {"path": ', /not a valid manifest/],
    ];
    for (const [manifest, message] of cases) {
      const dir = await folderExport({ 'a.txt': 'a' }, manifest);
      await expect(verifyExport(dir)).rejects.toMatchObject({ code: 'ERR_ARCHIVE_INVALID', fileName: join(dir, 'export_manifest.json'), message });
    }
    // An empty list is a manifest (of an empty export), not a missing one.
    const empty = await folderExport({}, { files: [] });
    expect(await verifyExport(empty)).toMatchObject({ expected: 0, ok: true });
  });

  it('rejects a folder without a manifest', async () => {
    const dir = await tempDir();
    await expect(verifyExport(dir)).rejects.toMatchObject({ code: 'ERR_ARCHIVE_INVALID', message: /no readable export_manifest\.json/ });
  });
});

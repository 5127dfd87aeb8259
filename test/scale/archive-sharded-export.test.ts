import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/errors.js';
import { archiveShardedExport } from '../../lib/scale/archive-sharded-export.js';
import { FolderShardStore } from '../../lib/scale/folder-shard-store.js';
import { rejectionOf } from '../helpers/assertions.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { hasUnzip, readZip, unzipTest } from '../helpers/zip.js';

const tempDir = tempDirs('se-shard-archive-');

/** A finished export folder as the fan-in leaves it: files and a manifest listing them. */
async function finishedExport(files: Record<string, Buffer>, corrupt?: string): Promise<{ store: FolderShardStore; root: string }> {
  const root = await tempDir();
  const folder = join(root, 'gt');
  const listed = [];
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(join(folder, path, '..'), { recursive: true });
    await writeFile(join(folder, path), path === corrupt ? Buffer.from('changed after the fan-in') : bytes);
    listed.push({ path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  await writeFile(join(folder, 'export_manifest.json'), JSON.stringify({ name: 'gt', files: listed }));
  return { store: new FolderShardStore({ kind: 'folder', path: folder }), root };
}

describe('archiveShardedExport', () => {
  const files: Record<string, Buffer> = {
    'annotations.json': Buffer.from(JSON.stringify({ images: Array.from({ length: 4000 }, (_, id) => ({ id, file_name: `img_${id}.png` })) })),
    'images/a.png': Buffer.alloc(50_000, 7),
    'images/b.png': Buffer.alloc(70_000, 9),
  };

  it('streams every listed file from the store into a split zip, the manifest last', async () => {
    const { store, root } = await finishedExport(files);
    const paths = await archiveShardedExport(store, join(root, 'gt.zip'), { splitSize: 64 * 1024 });
    expect(paths.length).toBeGreaterThan(1);
    expect(paths[0]).toBe(join(root, 'gt.part001.zip'));
    const entries = new Map<string, Buffer>();
    for (const path of paths) {
      if (hasUnzip) unzipTest(path);
      for (const [name, bytes] of await readZip(path)) entries.set(name, bytes);
    }
    expect([...entries.keys()].at(-1)).toBe('export_manifest.json');
    entries.delete('export_manifest.json');
    expect(entries).toEqual(new Map(Object.entries(files)));
  });

  it('refuses a file that no longer matches the manifest, and leaves no archive', async () => {
    const { store, root } = await finishedExport(files, 'images/b.png');
    const error = await rejectionOf(archiveShardedExport(store, join(root, 'gt.zip')));
    expect(error).toMatchObject({ code: ErrorCode.SHARD_FAILED, fileName: 'images/b.png' });
    expect(error.message).toContain('does not match the manifest');
    expect((await readdir(root)).sort()).toEqual(['gt']);
  });

  it('refuses an export whose fan-in has not written the manifest', async () => {
    const root = await tempDir();
    const error = await rejectionOf(archiveShardedExport(new FolderShardStore({ kind: 'folder', path: join(root, 'gt') }), join(root, 'gt.zip')));
    expect(error.message).toMatch(/no export_manifest\.json: the export is not finished/);
  });
});

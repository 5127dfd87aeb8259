import { appendFile, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { verifyExport } from '../../lib/archive/verify-export.js';
import { Exporter } from '../../lib/exporter/base-exporter.js';
import type { ExportContext, NamedRecord } from '../../lib/exporter/context.js';
import { runExport } from '../../lib/exporter/run-export.js';
import { sha256Hex, type Manifest } from '../../lib/output/manifest.js';
import type { ExportItem, ExportStatus } from '../../lib/types.js';
import { openInput } from '../../lib/sources/file-source.js';
import { syntheticSource } from '../../lib/sources/synthetic.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';
import { hasUnzip, readZip, unzipTest } from '../helpers/zip.js';

const SAMPLE = resolve('examples/sample-dataset');
const tempDir = tempDirs('se-archive-');

/** Writes a format file through the output, and one with raw fs passed to `record`. */
class WithExtras extends Exporter {
  override async additionalFileSaving(dir: string, ctx: ExportContext): Promise<void> {
    await ctx.output.writeFile('classes.txt', 'car\nperson\n');
    // Recorded with a wrong checksum on purpose, so that verify has something to find.
    await writeFile(join(dir, 'raw.txt'), 'raw');
    ctx.output.record('raw.txt', { size: 3, sha256: '0'.repeat(64) });
  }
}

async function sampleZipNames(zip: string): Promise<string[]> {
  return [...(await readZip(zip)).keys()].sort();
}

describe('archive exports', () => {
  it('--zip: the folder plus <name>.zip holding the same tree, accepted by unzip, yauzl and verify', async () => {
    const out = await tempDir();
    const result = await runExport({ source: await openInput(SAMPLE), output: out, name: 'sample', archive: { mode: 'zip' } });
    const zip = join(out, 'sample.zip');
    expect(result.archivePaths).toEqual([zip]);
    expect((await readdir(out)).sort()).toEqual(['sample', 'sample.zip']);
    expect(await sampleZipNames(zip)).toEqual(await listFiles(join(out, 'sample')));
    const entries = await readZip(zip);
    expect(entries.get('origin_files/frame_0001.png')?.equals(await readFile(join(out, 'sample', 'origin_files', 'frame_0001.png')))).toBe(true);
    if (hasUnzip) expect(unzipTest(zip)).toMatch(/No errors detected/);
    expect(await verifyExport(zip)).toMatchObject({ ok: true, missing: [], extra: [], corrupt: [] });
    expect(await verifyExport(join(out, 'sample'))).toMatchObject({ ok: true });
  });

  it('--zip: a file a plugin writes with raw fs into its folder while items are saved is in the folder and the archive', async () => {
    const out = await tempDir();
    const exporter = new (class extends Exporter {
      override async saveAsJson(record: NamedRecord<ExportItem>, ctx: ExportContext): Promise<ExportStatus> {
        const text = JSON.stringify(record.item.data);
        await writeFile(join(ctx.paths.json_output_path!, `${record.id}.raw.json`), text);
        ctx.output.record(`json/${record.id}.raw.json`, { size: Buffer.byteLength(text), sha256: sha256Hex(text) });
        return 'success';
      }
    })();
    const result = await exporter.export(syntheticSource({ count: 5 }), { output: out, name: 'raw', saveOriginalFile: false, archive: { mode: 'zip' } });
    const names = (await listFiles(join(out, 'raw'))).filter((name) => name.startsWith('json/'));
    expect(names).toHaveLength(5);
    expect((await sampleZipNames(result.archivePaths[0]!)).filter((name) => name.startsWith('json/'))).toEqual(names);
    expect(await verifyExport(result.archivePaths[0]!)).toMatchObject({ ok: true });
    expect(await verifyExport(join(out, 'raw'))).toMatchObject({ ok: true });
  });

  it('--zip-only: no loose files; flush files, format files and recorded raw files are in the archive', async () => {
    const out = await tempDir();
    const exporter = new WithExtras();
    const result = await exporter.export(await openInput(SAMPLE), { output: out, name: 'sample', archive: { mode: 'zip-only' } });
    expect(await readdir(out)).toEqual(['sample.zip']);
    expect(result.archivePaths).toEqual([join(out, 'sample.zip')]);
    const names = await sampleZipNames(join(out, 'sample.zip'));
    expect(names).toEqual(expect.arrayContaining(['classes.txt', 'raw.txt', 'error_file_list.json', 'export_manifest.json', 'json/frame_0001(1).json']));
    for (const name of names) expect(name.startsWith('/') || name.split('/').includes('..')).toBe(false);
    if (hasUnzip) expect(unzipTest(join(out, 'sample.zip'))).toMatch(/No errors detected/);
    // raw.txt was recorded with a made-up checksum: verify names it.
    const report = await verifyExport(join(out, 'sample.zip'));
    expect(report.corrupt).toEqual([{ path: 'raw.txt', reason: expect.stringMatching(/^sha256 /) }]);
    expect(report.ok).toBe(false);
  });

  it('a name whose archive exists is taken: the next export gets name(1)', async () => {
    const out = await tempDir();
    const first = await runExport({ source: syntheticSource({ count: 3 }), output: out, name: 'n', saveOriginalFile: false, archive: { mode: 'zip-only' } });
    const second = await runExport({ source: syntheticSource({ count: 3 }), output: out, name: 'n', saveOriginalFile: false, archive: { mode: 'zip-only' } });
    expect([...first.archivePaths, ...second.archivePaths]).toEqual([join(out, 'n.zip'), join(out, 'n(1).zip')]);
    expect((await readdir(out)).sort()).toEqual(['n(1).zip', 'n.zip']);
  });

  it('an export stopped by the error policy keeps its folder but writes no archive', async () => {
    const out = await tempDir();
    await expect(runExport({ source: await openInput(SAMPLE), output: out, name: 'sample', maxErrors: 0, archive: { mode: 'zip' } })).rejects.toMatchObject({ code: 'ERR_TOO_MANY_ERRORS' });
    expect(await readdir(out)).toEqual(['sample']);
  });

  it('a file recorded but never written fails the export and leaves no archive', async () => {
    const out = await tempDir();
    const exporter = new (class extends Exporter {
      override async additionalFileSaving(_dir: string, ctx: ExportContext): Promise<void> {
        ctx.output.record('never-written.txt', { size: 1, sha256: '0'.repeat(64) });
      }
    })();
    await expect(exporter.export(syntheticSource({ count: 3 }), { output: out, name: 'bad', saveOriginalFile: false, archive: { mode: 'zip-only' } })).rejects.toMatchObject({
      code: 'ERR_FLUSH_FAILED',
      message: expect.stringContaining('never-written.txt'),
    });
    expect(await readdir(out)).toEqual([]);
  });

  it('zip-only to a stream: the bytes are a complete zip and nothing stays on disk', async () => {
    const out = await tempDir();
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await runExport({ source: syntheticSource({ count: 50 }), output: out, name: 'piped', saveOriginalFile: false, archive: { mode: 'zip-only', stream } });
    expect(await readdir(out)).toEqual([]);
    await writeFile(join(out, 'copy.zip'), Buffer.concat(chunks));
    expect((await readZip(join(out, 'copy.zip'))).size).toBe(51);
    expect(await verifyExport(join(out, 'copy.zip'))).toMatchObject({ ok: true, expected: 50 });
  });

  it('zip-only: a manifest of several batches goes straight into the archive, whole, and leaves no file behind', async () => {
    const out = await tempDir();
    const result = await runExport({ source: syntheticSource({ count: 4_500 }), output: out, name: 'big', saveOriginalFile: false, archive: { mode: 'zip-only' } });
    expect(await readdir(out)).toEqual(['big.zip']);
    const manifest = JSON.parse((await readZip(result.archivePaths[0]!)).get('export_manifest.json')!.toString()) as Manifest;
    expect(manifest.files).toHaveLength(4_500);
    expect(manifest.complete).toBe(true);
    expect(await verifyExport(result.archivePaths[0]!)).toMatchObject({ ok: true, expected: 4_500 });
  });

  it('split archives: every part valid, the manifest names the part of each file, verify checks them all', async () => {
    const out = await tempDir();
    const result = await runExport({ source: await openInput(SAMPLE), output: out, name: 'sample', archive: { mode: 'zip-only', splitSize: 64 * 1024, level: 1 } });
    expect(result.archivePaths.length).toBeGreaterThan(1);
    expect(result.archivePaths[0]).toBe(join(out, 'sample.part001.zip'));
    const last = result.archivePaths[result.archivePaths.length - 1]!;
    const manifest = JSON.parse((await readZip(last)).get('export_manifest.json')!.toString()) as Manifest;
    for (const path of result.archivePaths) {
      if (hasUnzip) expect(unzipTest(path)).toMatch(/No errors detected/);
      for (const name of (await readZip(path)).keys()) {
        if (name !== 'export_manifest.json') expect(manifest.files.find((f) => f.path === name)?.part).toBe(path.slice(out.length + 1));
      }
    }
    expect(await verifyExport(result.archivePaths[0]!)).toMatchObject({ ok: true, checked: result.archivePaths });
  });

  it('verify names missing, extra and corrupt files of a folder, and rejects a truncated archive naming it', async () => {
    const out = await tempDir();
    await runExport({ source: await openInput(SAMPLE), output: out, name: 'sample', archive: { mode: 'zip' } });
    const dir = join(out, 'sample');
    await writeFile(join(dir, 'json', 'street_0002.json'), '{}', { flag: 'w' });
    await appendFile(join(dir, 'origin_files', 'street_0003.png'), 'x');
    await writeFile(join(dir, 'stray.txt'), 'stray');
    await rm(join(dir, 'json', 'street_0004.json'));
    const report = await verifyExport(dir);
    expect(report.ok).toBe(false);
    expect(report.missing).toEqual(['json/street_0004.json']);
    expect(report.extra).toEqual(['stray.txt']);
    expect(report.corrupt.map((c) => c.path).sort()).toEqual(['json/street_0002.json', 'origin_files/street_0003.png']);

    const zip = join(out, 'sample.zip');
    const bytes = await readFile(zip);
    // Flip a byte inside a stored PNG: the file's checksum no longer matches.
    const png = bytes.indexOf(Buffer.from('IEND'));
    bytes.writeUInt8(bytes.readUInt8(png - 8) ^ 0xff, png - 8);
    await writeFile(join(out, 'flipped.zip'), bytes);
    const flipped = await verifyExport(join(out, 'flipped.zip'));
    expect(flipped.ok).toBe(false);
    expect(flipped.corrupt).toHaveLength(1);
    expect(flipped.corrupt[0]!.path).toMatch(/^origin_files\/.*\.png$/);

    await truncate(zip, bytes.length - 100);
    await expect(verifyExport(zip)).rejects.toMatchObject({ code: 'ERR_ARCHIVE_INVALID', fileName: zip });
  });

  it('an aborted export leaves no .zip and no .partial', async () => {
    const out = await tempDir();
    const controller = new AbortController();
    const exporter = new (class extends Exporter {
      override convertData(item: ExportItem): ExportItem {
        if (item.id === 500) controller.abort();
        return item;
      }
    })();
    await expect(
      exporter.export(syntheticSource({ count: 2000 }), { output: out, name: 'cut', saveOriginalFile: false, signal: controller.signal, archive: { mode: 'zip' } }),
    ).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    const left = await readdir(out);
    expect(left.filter((name) => name.endsWith('.zip') || name.endsWith('.partial'))).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExport } from '../../lib/exporter/run-export.js';
import { Exporter } from '../../lib/exporter/base-exporter.js';
import { ExportIncompleteError } from '../../lib/exporter/export-incomplete-error.js';
import { rejectionOf } from '../helpers/assertions.js';
import { openInput } from '../../lib/sources/file-source.js';
import { syntheticSource } from '../../lib/sources/synthetic.js';
import { ExportRun } from '../../lib/run/export-run.js';
import type { Manifest } from '../../lib/output/manifest.js';
import type { DataFileLog, MessageEvent } from '../../lib/run/events.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';

const SAMPLE = resolve('examples/sample-dataset');
const tempDir = tempDirs('se-export-');

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'export_manifest.json'), 'utf8')) as Manifest;
}

describe('runExport on the bundled sample', () => {
  it('writes the DESIGN §4 tree, the error list and a manifest whose checksums match the files', async () => {
    const out = await tempDir();
    const sampleLines = (await readFile(join(SAMPLE, 'items.jsonl'), 'utf8')).trim().split('\n');
    const result = await runExport({ source: await openInput(SAMPLE), output: out, name: 'sample' });

    expect(result.uniqueExportPath).toBe(join(out, 'sample'));
    expect(result.exportPath).toBe(out);
    expect(result.counts).toEqual({ total: sampleLines.length, success: sampleLines.length - 2, failed: 2, skipped: 0 });

    const files = await listFiles(result.uniqueExportPath);
    const json = files.filter((f) => f.startsWith('json/'));
    const originals = files.filter((f) => f.startsWith('origin_files/'));
    // Every item has a JSON but the null-data one; every item has an original but the missing one.
    expect(json).toHaveLength(sampleLines.length - 1);
    expect(originals).toHaveLength(sampleLines.length - 1);
    expect(files).toEqual(expect.arrayContaining(['json/frame_0001.json', 'json/frame_0001(1).json', 'origin_files/frame_0001.png', 'origin_files/frame_0001(1).png', 'error_file_list.json', 'export_manifest.json']));
    expect(files.filter((f) => !f.startsWith('json/') && !f.startsWith('origin_files/'))).toEqual(['error_file_list.json', 'export_manifest.json']);

    const errorList = JSON.parse(await readFile(join(result.uniqueExportPath, 'error_file_list.json'), 'utf8'));
    expect(errorList).toEqual({
      json_file_name: [['street_0009.json', 'data is Null']],
      origin_file_name: [['missing_0099.png', 'cannot copy original media/missing_0099.png: no such file']],
    });

    const manifest = await readManifest(result.uniqueExportPath);
    expect(manifest.counts).toEqual(result.counts);
    expect(manifest.errors).toEqual({ json_file_name: 1, origin_file_name: 1, file: 'error_file_list.json' });
    expect(manifest.files.map((f) => f.path).sort()).toEqual(files.filter((f) => f !== 'export_manifest.json'));
    for (const entry of manifest.files) {
      const bytes = await readFile(join(result.uniqueExportPath, entry.path));
      expect(entry.size).toBe(bytes.byteLength);
      expect(entry.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    // Originals are byte-identical copies.
    const first = JSON.parse(sampleLines[0]!);
    const copied = await readFile(join(result.uniqueExportPath, 'origin_files', first.files.file_name_original));
    expect(copied.equals(await readFile(join(SAMPLE, first.files.path)))).toBe(true);
  });

  it('creates name(1) on a second run and reports that directory', async () => {
    const out = await tempDir();
    const first = await runExport({ source: await openInput(SAMPLE), output: out, name: 'sample', saveOriginalFile: false });
    const second = await runExport({ source: await openInput(SAMPLE), output: out, name: 'sample', saveOriginalFile: false });
    expect(first.uniqueExportPath).toBe(join(out, 'sample'));
    expect(second.uniqueExportPath).toBe(join(out, 'sample(1)'));
    expect(await listFiles(second.uniqueExportPath)).not.toContain('origin_files/street_0001.png');
  });
});

describe('runExport output contract', () => {
  it('writes data byte for byte as json.dump(indent=4, ensure_ascii=False)', async () => {
    const out = await tempDir();
    const data = { 클래스: '보행자', nested: { list: [1, 2.5, 'vélo'], empty: [], none: null, obj: {} }, flag: true };
    await runExport({ source: [{ id: 1, data, files: { file_name_original: 'a.png' } }], output: out, name: 'x', saveOriginalFile: false });
    const text = await readFile(join(out, 'x', 'json', 'a.json'), 'utf8');
    expect(text).toBe(
      '{\n    "클래스": "보행자",\n    "nested": {\n        "list": [\n            1,\n            2.5,\n            "vélo"\n        ],\n        "empty": [],\n        "none": null,\n        "obj": {}\n    },\n    "flag": true\n}',
    );
  });

  it('finishes an empty source cleanly with an empty export and zero counts', async () => {
    const out = await tempDir();
    const result = await runExport({ source: [], output: out, name: 'empty' });
    expect(result.counts).toEqual({ total: 0, success: 0, failed: 0, skipped: 0 });
    expect(result.errorListPath).toBeNull();
    expect(await listFiles(result.uniqueExportPath)).toEqual(['export_manifest.json']);
    expect((await readManifest(result.uniqueExportPath)).files).toEqual([]);
  });

  it('records items without an id and unreadable entries as failed, naming them, and exports the rest', async () => {
    const out = await tempDir();
    const source = [{ id: 1, data: {}, files: { file_name_original: 'ok.png' } }, { data: {}, files: {} }, 'not an item'];
    const result = await runExport({ source, output: out, name: 'x', saveOriginalFile: false });
    expect(result.counts).toEqual({ total: 3, success: 1, failed: 2, skipped: 0 });
    const errors = JSON.parse(await readFile(result.errorListPath!, 'utf8'));
    expect(errors.json_file_name).toEqual([
      ['item 2', 'source: item 2 has no id (a non-empty string or a number)'],
      ['item 3', 'source: item 3 is not an object'],
    ]);
  });

  it('keeps JSON and original failures independent: a failed original still gets its JSON', async () => {
    const out = await tempDir();
    const result = await runExport({ source: [{ id: 7, data: { a: 1 }, files: { file_name_original: 'gone.png', path: join(out, 'nope.png') } }], output: out, name: 'x' });
    expect(result.counts.failed).toBe(1);
    expect(await listFiles(result.uniqueExportPath)).toEqual(['error_file_list.json', 'export_manifest.json', 'json/gone.json']);
    const manifest = await readManifest(result.uniqueExportPath);
    expect(manifest.metrics).toEqual({
      data_file: { stand_by: 0, success: 1, failed: 0 },
      original_file: { stand_by: 0, success: 0, failed: 1 },
    });
  });

  it('reduces unsafe original names and never writes outside the export directory', async () => {
    const out = await tempDir();
    const media = join(out, 'media.png');
    await writeFile(media, 'png-bytes');
    const source = ['../../escape.png', '/etc/passwd', 'a\u0000b.png', 'CON.png', `${'x'.repeat(300)}.png`].map((name, i) => ({
      id: i + 1,
      data: { i },
      files: { file_name_original: name, path: media },
    }));
    const result = await runExport({ source, output: join(out, 'exports'), name: 'x' });
    expect(result.counts).toMatchObject({ total: 5, success: 5 });
    const files = await listFiles(out);
    expect(files.every((f) => f === 'media.png' || f.startsWith('exports/x/'))).toBe(true);
    expect(files).toEqual(expect.arrayContaining(['exports/x/origin_files/escape.png', 'exports/x/origin_files/passwd', 'exports/x/origin_files/a_b.png', 'exports/x/origin_files/_CON.png']));
  });

  it('fails with ERR_OUTPUT_UNWRITABLE, writing nothing, when the output folder cannot be created', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'file'), 'x');
    await expect(runExport({ source: [], output: join(out, 'file', 'below'), name: 'x' })).rejects.toMatchObject({ code: 'ERR_OUTPUT_UNWRITABLE' });
  });

  it('records a write failure per file and goes on with the other items', async () => {
    const out = await tempDir();
    // An exporter whose folders lack json/: every JSON write fails, originals still work.
    class NoJsonFolder extends Exporter {
      override async setupOutputDirectories(uniqueExportPath: string): Promise<Record<string, string>> {
        await mkdir(join(uniqueExportPath, 'origin_files'));
        return {};
      }
    }
    const media = join(out, 'm.png');
    await writeFile(media, 'bytes');
    const result = await runExport({
      source: [1, 2, 3].map((id) => ({ id, data: { id }, files: { file_name_original: `${id}.png`, path: media } })),
      output: out,
      name: 'x',
      exporter: new NoJsonFolder(),
    });
    expect(result.counts).toEqual({ total: 3, success: 0, failed: 3, skipped: 0 });
    const errors = JSON.parse(await readFile(result.errorListPath!, 'utf8'));
    expect(errors.json_file_name.map((e: string[]) => e[0])).toEqual(['1.json', '2.json', '3.json']);
    expect(errors.json_file_name[0][1]).toMatch(/ENOENT/);
    expect(errors.origin_file_name).toEqual([]);
    expect(await listFiles(join(result.uniqueExportPath, 'origin_files'))).toEqual(['1.png', '2.png', '3.png']);
  });

  it('stops soon after its signal aborts: waits for saves in flight, writes an incomplete manifest, rejects with ERR_ABORTED', async () => {
    const out = await tempDir();
    const controller = new AbortController();
    let written = 0;
    const abortAfter50 = {
      attach(run: ExportRun) {
        run.on('export_data_file', () => {
          written += 1;
          if (written === 50) controller.abort();
        });
      },
    };
    const error = await rejectionOf(
      runExport({ source: syntheticSource({ count: 100_000 }), output: out, name: 'x', saveOriginalFile: false, signal: controller.signal, reporters: [abortAfter50] }),
    );
    expect(error).toBeInstanceOf(ExportIncompleteError);
    expect(error.code).toBe('ERR_ABORTED');
    const { result } = error as ExportIncompleteError;
    // Only the window's worth of items may finish after the abort, and every one that did is counted.
    expect(written).toBeLessThan(50 + 64);
    expect(result.counts.total).toBe(written);
    const files = await listFiles(join(out, 'x'));
    expect(files.filter((f) => f.startsWith('json/'))).toHaveLength(written);
    expect(files.some((f) => f.startsWith('.synapse-export-work'))).toBe(false);
    const manifest = await readManifest(result.uniqueExportPath);
    expect(manifest).toMatchObject({ complete: false, stopped: { code: 'ERR_ABORTED' }, counts: result.counts });
    expect(manifest.files).toHaveLength(written);
  });

  it('stops once more items failed than maxErrors allows, marking the export incomplete', async () => {
    const out = await tempDir();
    const items = Array.from({ length: 500 }, (_, i) => ({ id: i, data: i % 2 ? null : {}, files: { file_name_original: `${i}.png` } }));
    const error = await rejectionOf(runExport({ source: items, output: out, name: 'x', saveOriginalFile: false, maxErrors: 3, concurrency: 2 }));
    expect(error.code).toBe('ERR_TOO_MANY_ERRORS');
    const { result } = error as ExportIncompleteError;
    expect(result.counts.failed).toBeGreaterThanOrEqual(4);
    expect(result.counts.total).toBeLessThan(100);
    expect(JSON.parse(await readFile(result.errorListPath!, 'utf8')).json_file_name.length).toBe(result.counts.failed);
    expect((await readManifest(result.uniqueExportPath)).complete).toBe(false);
  });

  it('emits the reference message sequence and per-file events', async () => {
    const out = await tempDir();
    const messages: MessageEvent[] = [];
    const dataFiles: DataFileLog[] = [];
    const reporter = {
      attach(run: ExportRun) {
        run.on('message', (m) => messages.push(m));
        run.on('export_data_file', (e) => dataFiles.push(e));
      },
    };
    await runExport({ source: [{ id: 5, data: { a: 1 }, files: { file_name_original: 'p.png' } }, { id: 6, data: null, files: { file_name_original: 'q.png' } }], output: out, name: 'x', saveOriginalFile: false, reporters: [reporter] });
    expect(messages.map((m) => m.content)).toEqual(['Starting export process.', 'Converting dataset.', 'Data is null for export item', 'Plugin run is complete.']);
    expect(messages[2]).toEqual({ context: 'warning', content: 'Data is null for export item', target_id: 6 });
    const byId = [...dataFiles].sort((a, b) => Number(a.target_id) - Number(b.target_id));
    expect(byId.map((e) => [e.target_id, e.data_file_info, e.status, e.error])).toEqual([
      [5, '{"file_name":"p.json"}', 'success', ''],
      [6, '{"file_name":"q.json"}', 'failed', 'data is Null'],
    ]);
  });
});

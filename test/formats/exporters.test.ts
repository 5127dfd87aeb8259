import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { CocoExporter, coco } from '../../formats/coco/index.js';
import { collectClasses } from '../../formats/shared/class-list.js';
import { VocExporter } from '../../formats/voc/index.js';
import { YoloExporter, yolo, yoloClassNames } from '../../formats/yolo/index.js';
import { ErrorCode } from '../../lib/errors.js';
import { ExportOutput } from '../../lib/output/export-output.js';
import { toRecords } from '../../lib/exporter/to-records.js';
import { syntheticSource } from '../../lib/sources/synthetic.js';
import { ExportRun } from '../../lib/run/export-run.js';
import { dmToV2 } from '../../transforms/dm/dm-to-v2.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';
import { rejectionOf } from '../helpers/assertions.js';
import { ExportIncompleteError } from '../../lib/exporter/export-incomplete-error.js';
import { ExportJournal, JOURNAL_FILE, type JournalEntry } from '../../lib/output/journal.js';

const SAMPLE = join(process.cwd(), 'examples', 'sample-dataset');
const PNG = join(SAMPLE, 'media', 'street', 'street_0001.png'); // 160×120

/** A v1 item with the given annotations (and their geometry) on `image_1`. */
function item(id: number, entries: Array<[tool: string, cls: string, geometry: Record<string, unknown>]>, files: Record<string, unknown> = { file_name_original: `img_${id}.png`, path: PNG }) {
  return {
    id,
    files,
    data: {
      extra: {},
      annotations: { image_1: entries.map(([tool, cls], i) => ({ id: `a${i}`, tool, classification: { class: cls } })) },
      annotationsData: { image_1: entries.map(([, , geometry], i) => ({ id: `a${i}`, ...geometry })) },
    },
  };
}

const box = (x: number, y: number, width: number, height: number) => ({ coordinate: { x, y, width, height } });

function warningsOf(run: ExportRun): string[] {
  const warnings: string[] = [];
  run.on('message', (event) => {
    if (event.context === 'warning') warnings.push(event.content);
  });
  return warnings;
}

describe('format exporters', () => {
  const tempDir = tempDirs();

  it('reports an unknown tool, an empty polygon and a zero-size image without crashing', async () => {
    const out = await tempDir();
    const run = new ExportRun();
    const warnings = warningsOf(run);
    const items = [
      item(1, [['cuboid', 'x', {}], ['bounding_box', 'car', box(0, 0, 16, 12)]]),
      item(2, [['polygon', 'road', { coordinate: [] }], ['bounding_box', 'car', box(0, 0, 16, 12)]]),
      item(3, [['bounding_box', 'car', box(0, 0, 1, 1)]], { file_name_original: 'zero.png', path: PNG, width: 0, height: 0 }),
    ];
    const result = await new CocoExporter({ run, pathRoot: out, params: { name: 'edge' } }).export(items);
    expect(result.counts).toEqual({ total: 3, success: 2, failed: 1, skipped: 0 });
    expect(warnings.some((w) => w.includes("Unknown tool type 'cuboid'") && w.includes('item 1'))).toBe(true);
    expect(warnings).toContain('item 2: polygon a0 has 0 point(s), fewer than 3; skipped');
    const errors = JSON.parse(await readFile(join(result.uniqueExportPath, 'error_file_list.json'), 'utf8'));
    expect(errors.json_file_name[0][1]).toMatch(/item 3: the image is 0×0/);
    const document = JSON.parse(await readFile(join(result.uniqueExportPath, 'annotations.json'), 'utf8'));
    expect(document.images.map((i: { file_name: string }) => i.file_name)).toEqual(['img_1.png', 'img_2.png']);
    expect(document.annotations).toHaveLength(2);
  });

  it('reads the size from the media header when the document has none', async () => {
    const out = await tempDir();
    const result = await new VocExporter({ pathRoot: out, params: { name: 'voc' } }).export([item(1, [['bounding_box', 'car', box(150, 100, 50, 50)]])]);
    const xml = await readFile(join(result.uniqueExportPath, 'Annotations', 'img_1.xml'), 'utf8');
    expect(xml).toContain('<width>160</width>');
    expect(xml).toContain('<height>120</height>');
    // Cut to the image: 150..160 × 100..120.
    expect(xml).toMatch(/<xmin>150<\/xmin>\s*<ymin>100<\/ymin>\s*<xmax>160<\/xmax>\s*<ymax>120<\/ymax>/);
  });

  it('downloads a remote original without a known size once, reads its header, and copies it into images/', async () => {
    const bytes = await readFile(PNG);
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.end(bytes);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/media/remote.png`;
      const out = await tempDir();
      const exporter = new YoloExporter({ pathRoot: out, params: { name: 'remote' } });
      const result = await exporter.export([item(1, [['bounding_box', 'car', box(0, 0, 80, 60)]], { url })]);
      expect(result.counts.success).toBe(1);
      expect(requests).toBe(1);
      expect(await listFiles(result.uniqueExportPath)).toEqual(['classes.txt', 'dataset.yaml', 'export_manifest.json', 'images/remote.png', 'labels/remote.txt']);
      expect(await readFile(join(result.uniqueExportPath, 'labels', 'remote.txt'), 'utf8')).toBe('0 0.250000 0.250000 0.500000 0.500000\n');
    } finally {
      server.close();
    }
  });

  it('streams a COCO file whose images and annotations spilled to disk, ids in source order', async () => {
    const out = await tempDir();
    const result = await new CocoExporter({ pathRoot: out, params: { name: 'big', save_original_file: false } }).export(syntheticSource({ count: 5000, annotationsPerItem: 2 }));
    expect(result.counts.success).toBe(5000);
    const document = JSON.parse(await readFile(join(result.uniqueExportPath, 'annotations.json'), 'utf8'));
    expect(document.images).toHaveLength(5000);
    expect(document.images.every((image: { id: number; file_name: string }, i: number) => image.id === i + 1 && image.file_name === `item_${String(i + 1).padStart(8, '0')}.jpg`)).toBe(true);
    expect(document.annotations.length).toBeGreaterThan(4096);
    expect(document.annotations.every((a: { id: number }, i: number) => a.id === i + 1)).toBe(true);
    // The spools' work folder is gone.
    expect(await listFiles(result.uniqueExportPath)).toEqual(['annotations.json', 'export_manifest.json']);
  });

  it('YOLO from a stream without a class list fails with a clear error', async () => {
    const exporter = new YoloExporter({ pathRoot: await tempDir(), params: { name: 'x' } });
    await expect(exporter.export(Readable.from([item(1, [])]))).rejects.toMatchObject({ code: ErrorCode.CLASSES_UNKNOWN });
  });

  it('works as stages in your own pipeline: dmToV2 → coco.stage → coco.writer', async () => {
    const root = await tempDir();
    const output = new ExportOutput(root);
    const items = [item(1, [['bounding_box', 'car', box(0, 0, 16, 12)], ['polygon', 'road', { coordinate: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }] }]])];
    await pipeline(Readable.from(toRecords(items)), ...dmToV2(), coco.stage(), coco.writer(output));
    await output.dispose();
    expect(await listFiles(root)).toEqual(['annotations.json', 'images/img_1.png']);
    const document = JSON.parse(await readFile(join(root, 'annotations.json'), 'utf8'));
    expect(document.categories.map((c: { id: number; name: string }) => [c.id, c.name])).toEqual([[1, 'car'], [2, 'road']]);
    expect(document.annotations.map((a: { category_id: number; area: number }) => [a.category_id, a.area])).toEqual([[2, 50], [1, 192]]);
  });

  it('each item\'s journal entry lists its own image and label, however many items the writer saw', async () => {
    const controller = new AbortController();
    let saved = 0;
    const stop = { attach: (run: ExportRun) => run.on('export_data_file', () => ++saved === 60 && controller.abort()) };
    const items = Array.from({ length: 200 }, (_, i) => item(i + 1, [['bounding_box', 'car', box(0, 0, 80, 60)]]));
    const exporter = new VocExporter({ pathRoot: await tempDir(), params: { name: 'stopped' } });
    const stopped = await rejectionOf(exporter.export(items, { signal: controller.signal, reporters: [stop] }));
    const { uniqueExportPath } = (stopped as ExportIncompleteError).result;
    const entries: JournalEntry[] = [];
    for await (const entry of ExportJournal.read(join(uniqueExportPath, JOURNAL_FILE))) entries.push(entry);
    expect(entries.length).toBeGreaterThanOrEqual(60);
    for (const entry of entries) {
      expect(entry.files.map((file) => file.path).sort()).toEqual([`Annotations/img_${String(entry.id)}.xml`, `JPEGImages/img_${String(entry.id)}.png`]);
    }
  });

  it('YOLO stage and writer with a class list from a pre-pass', async () => {
    const root = await tempDir();
    const output = new ExportOutput(root);
    const items = [item(1, [['bounding_box', 'zebra', box(0, 0, 16, 12)]]), item(2, [['bounding_box', 'ant', box(0, 0, 16, 12)]])];
    const classes = await collectClasses(items, yoloClassNames('detect'));
    expect(classes.names).toEqual(['ant', 'zebra']);
    await pipeline(Readable.from(toRecords(items)), yolo.stage({ classes }), yolo.writer(output, { classes, saveOriginalFile: false }));
    await output.dispose();
    expect(await readFile(join(root, 'labels', 'img_1.txt'), 'utf8')).toBe('1 0.050000 0.050000 0.100000 0.100000\n');
    expect(await readFile(join(root, 'classes.txt'), 'utf8')).toBe('ant\nzebra\n');
  });
});

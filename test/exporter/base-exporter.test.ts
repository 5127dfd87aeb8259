import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BaseExporter, Exporter } from '../../lib/exporter/base-exporter.js';
import { defineExporter } from '../../lib/exporter/define-exporter.js';
import type { ExportContext, NamedRecord } from '../../lib/exporter/context.js';
import type { Manifest } from '../../lib/output/manifest.js';
import type { ExportItem } from '../../lib/types.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-exporter-');

interface Box {
  class: string;
  x: number;
  y: number;
  w: number;
  h: number;
}
type BoxItem = ExportItem<{ width: number; height: number; boxes: Box[] }>;

/** The seed's YOLO example, ported: own folders, own per-item saving, class files in flush. */
class YoloExporter extends BaseExporter<BoxItem> {
  readonly classes = new Set<string>();

  override async setupOutputDirectories(uniqueExportPath: string): Promise<Record<string, string>> {
    const { mkdir } = await import('node:fs/promises');
    const paths: Record<string, string> = {};
    for (const name of ['images', 'labels', 'data']) {
      paths[name] = join(uniqueExportPath, name);
      await mkdir(paths[name]!);
      this.run.logMessage(`Created YOLO directory: ${name}`);
    }
    return paths;
  }

  convertData(item: BoxItem): BoxItem {
    for (const box of item.data.boxes) this.classes.add(box.class);
    return item;
  }

  override async processFileSaving(record: NamedRecord<BoxItem>, ctx: ExportContext): Promise<boolean> {
    const { width, height, boxes } = record.item.data;
    const sorted = [...this.classes].sort();
    const lines = boxes.map((b) => [sorted.indexOf(b.class), (b.x + b.w / 2) / width, (b.y + b.h / 2) / height, b.w / width, b.h / height].map((v, i) => (i === 0 ? v : v.toFixed(6))).join(' '));
    await ctx.output.writeFile(`labels/${record.names.stem}.txt`, `${lines.join('\n')}\n`);
    if (ctx.saveOriginalFile && record.item.files.path) await ctx.output.copyFile(record.item.files.path, `images/${record.names.originalFileName}`);
    return true;
  }

  override async additionalFileSaving(_uniqueExportPath: string, ctx: ExportContext): Promise<void> {
    const names = [...this.classes].sort();
    await ctx.output.writeFile('data/classes.txt', `${names.join('\n')}\n`);
    await ctx.output.writeFile('data/dataset.yaml', `names:\n${names.map((n, i) => `  ${i}: ${n}`).join('\n')}\n`);
  }
}

describe('BaseExporter', () => {
  it('runs a subclass that overrides setupOutputDirectories, processFileSaving and additionalFileSaving (the seed YOLO example)', async () => {
    const out = await tempDir();
    const image = join(out, 'img.jpg');
    await writeFile(image, 'jpeg');
    const items: BoxItem[] = [
      { id: 1, data: { width: 100, height: 50, boxes: [{ class: 'car', x: 10, y: 10, w: 20, h: 10 }] }, files: { file_name_original: 'a.jpg', path: image } },
      { id: 2, data: { width: 100, height: 50, boxes: [{ class: 'bus', x: 0, y: 0, w: 100, h: 50 }] }, files: { file_name_original: 'a.jpg', path: image } },
    ];
    const exporter = new YoloExporter({ exportItems: items, pathRoot: out, params: { name: 'yolo' } });
    const result = await exporter.export();
    expect(result.counts).toEqual({ total: 2, success: 2, failed: 0, skipped: 0 });
    const root = result.uniqueExportPath;
    expect(await listFiles(root)).toEqual(['data/classes.txt', 'data/dataset.yaml', 'export_manifest.json', 'images/a(1).jpg', 'images/a.jpg', 'labels/a(1).txt', 'labels/a.txt']);
    expect(await readFile(join(root, 'data/classes.txt'), 'utf8')).toBe('bus\ncar\n');
    expect(await readFile(join(root, 'labels/a(1).txt'), 'utf8')).toBe('0 0.500000 0.500000 1.000000 1.000000\n');
    const manifest = JSON.parse(await readFile(join(root, 'export_manifest.json'), 'utf8')) as Manifest;
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['data/classes.txt', 'data/dataset.yaml', 'labels/a.txt', 'images/a.jpg']));
  });

  it('applies the save_original_file default (true) when the param is omitted, and uses params.count as the total', async () => {
    const out = await tempDir();
    const media = join(out, 'm.png');
    await writeFile(media, 'png');
    const progress: Array<number | undefined> = [];
    const exporter = new Exporter({ pathRoot: out, params: { name: 'p', count: 1 } });
    exporter.run.on('progress', (e) => progress.push(e.total));
    const result = await exporter.export([{ id: 1, data: {}, files: { file_name_original: 'm.png', path: media } }]);
    expect(await listFiles(result.uniqueExportPath)).toContain('origin_files/m.png');
    expect(progress.every((t) => t === 1)).toBe(true);
  });

  it('skips items whose hook returns null and records hook failures with the item id and step', async () => {
    const out = await tempDir();
    class Picky extends BaseExporter {
      override beforeConvert(item: ExportItem): ExportItem | null {
        return item.id === 2 ? null : item;
      }
      convertData(item: ExportItem): ExportItem {
        if (item.id === 3) throw new Error('cannot convert polygon');
        return { ...item, data: { converted: true } };
      }
      override afterConvert(item: ExportItem): Promise<ExportItem> {
        return Promise.resolve({ ...item, data: { ...(item.data as object), after: true } });
      }
    }
    const items = [1, 2, 3, 4].map((id) => ({ id, data: { id }, files: { file_name_original: `f${id}.png` } }));
    const result = await new Picky({ pathRoot: out, params: { name: 'x', save_original_file: false } }).export(items);
    expect(result.counts).toEqual({ total: 4, success: 2, failed: 1, skipped: 1 });
    expect(await listFiles(join(result.uniqueExportPath, 'json'))).toEqual(['f1.json', 'f4.json']);
    expect(JSON.parse(await readFile(join(result.uniqueExportPath, 'json', 'f4.json'), 'utf8'))).toEqual({ converted: true, after: true });
    const errors = JSON.parse(await readFile(result.errorListPath!, 'utf8'));
    expect(errors.json_file_name).toEqual([['f3.json', 'convertData: cannot convert polygon']]);
  });

  it('runs hooks concurrently when asked and still writes every item', async () => {
    const out = await tempDir();
    let active = 0;
    let maxActive = 0;
    const Slow = defineExporter({
      async convertData(item) {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 2));
        active -= 1;
        return item;
      },
    });
    const items = Array.from({ length: 40 }, (_, i) => ({ id: i, data: { i }, files: { file_name_original: `n${i}.png` } }));
    const result = await new Slow({ pathRoot: out, params: { name: 'c' } }).export(items, { saveOriginalFile: false, hookConcurrency: 4 });
    expect(result.counts.success).toBe(40);
    expect(maxActive).toBe(4);
  });
});

describe('defineExporter', () => {
  it('builds an exporter from plain functions; `this` is the exporter and defaults fill the rest', async () => {
    const out = await tempDir();
    const Upper = defineExporter({
      convertData(item) {
        return { ...item, data: { label: String((item.data as { label: string }).label).toUpperCase(), by: this.params.name } };
      },
      async additionalFileSaving(_path, ctx) {
        await ctx.output.writeFile('summary.txt', 'done\n');
      },
    });
    const result = await new Upper({ pathRoot: out, params: { name: 'fn' } }).export([{ id: 1, data: { label: 'cat' }, files: { file_name_original: 'c.png' } }], { saveOriginalFile: false });
    expect(JSON.parse(await readFile(join(result.uniqueExportPath, 'json', 'c.json'), 'utf8'))).toEqual({ label: 'CAT', by: 'fn' });
    expect(await readFile(join(result.uniqueExportPath, 'summary.txt'), 'utf8')).toBe('done\n');
  });

  it('rejects with a typed error when the export has no name or no output', async () => {
    await expect(new Exporter({ pathRoot: '/tmp' }).export([])).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', field: 'name' });
    await expect(new Exporter({ params: { name: 'x' } }).export([])).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

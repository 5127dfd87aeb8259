import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatExporter } from '../../formats/registry.js';
import { Exporter } from '../../lib/exporter/base-exporter.js';
import { runExport } from '../../lib/exporter/run-export.js';
import { fanIn } from '../../lib/scale/fan-in.js';
import { FolderShardStore } from '../../lib/scale/folder-shard-store.js';
import { planFileShards } from '../../lib/scale/plan-shards.js';
import { storePlan } from '../../lib/scale/read-plan.js';
import { runShard } from '../../lib/scale/run-shard.js';
import { planFormat, type ShardableFormat } from '../../lib/scale/shard-format.js';
import type { ShardPlan } from '../../lib/scale/shard-plan.js';
import { openInput } from '../../lib/sources/file-source.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';
import { formatFiles, formatManifest } from './fixtures/format-files.js';
import { writeAnnotatedDataset } from './fixtures/annotated-dataset.js';

const tempDir = tempDirs('se-shard-format-');

/** A single-process `--naming by-id --format <format>` export, as the CLI runs it (YOLO's pre-pass included). */
async function singleProcess(data: string, format: ShardableFormat): Promise<string> {
  const source = await openInput(data);
  const exporter = formatExporter(format, {});
  await exporter.prepare(source);
  const result = await runExport({ exporter, source, output: await tempDir(), name: 'gt', naming: 'by-id' });
  return result.uniqueExportPath;
}

/** The same export in `shards` shards, run one after another in this process, then fanned in. */
async function sharded(data: string, format: ShardableFormat, shards: number): Promise<string> {
  const [root, staging] = await Promise.all([tempDir(), tempDir()]);
  const input = join(data, 'items.jsonl');
  const { names, ...slices } = await planFileShards(input, 'jsonl', shards, new Exporter());
  const plan: ShardPlan = {
    version: 1,
    exportId: `test-${format}`,
    createdAt: new Date().toISOString(),
    target: { kind: 'folder', path: join(root, 'gt') },
    spec: { input, inputBytes: 0, format: 'jsonl', name: 'gt', saveOriginalFile: true, concurrency: 8, downloadConcurrency: 2, download: {}, training: await planFormat(format, input, 'jsonl') },
    ...slices,
  };
  expect(plan.shards.length).toBe(shards);
  const store = new FolderShardStore(plan.target as { kind: 'folder'; path: string });
  await storePlan(store, plan, names);
  // Shards in reverse: their parts must be stitched in source order whatever order they finished in.
  for (const range of [...plan.shards].reverse()) await runShard(plan, range.shard, store, { stagingDirectory: staging });
  await fanIn(plan, store, { stagingDirectory: staging });
  return join(root, 'gt');
}

describe('sharded training formats (runShard + fanIn)', () => {
  it.each<ShardableFormat>(['coco', 'yolo', 'yolo-seg', 'yolo-pose'])('%s: the fan-in stitches the dataset-wide files; the result equals a single-process by-id export file for file', async (format) => {
    const data = await writeAnnotatedDataset(await tempDir(), 12); // 288 items, 5 shards of 64-entry blocks
    const [reference, result] = await Promise.all([singleProcess(data, format), sharded(data, format, 5)]);
    const expected = await formatFiles(reference);
    expect(await formatFiles(result)).toEqual(expected);
    expect(await formatManifest(result)).toEqual(await formatManifest(reference));
    // The dataset-wide files are there, once, and no shard state is left behind.
    const names = [...expected.keys()];
    if (format === 'coco') expect(names).toContain('annotations.json');
    else expect(names).toEqual(expect.arrayContaining(['classes.txt', 'dataset.yaml']));
    expect((await listFiles(result)).some((file) => file.startsWith('_shards/'))).toBe(false);
    if (format !== 'coco') expect(await readFile(join(result, 'dataset.yaml'), 'utf8')).toContain(`path: ${JSON.stringify(result)}`);
  }, 60_000);

  it('COCO ids run on across shards: image ids 1…n and annotation ids 1…m in source order', async () => {
    const data = await writeAnnotatedDataset(await tempDir(), 6);
    const result = await sharded(data, 'coco', 3);
    const document = JSON.parse(await readFile(join(result, 'annotations.json'), 'utf8')) as { images: Array<{ id: number }>; annotations: Array<{ id: number; image_id: number }> };
    expect(document.images.map((image) => image.id)).toEqual(document.images.map((_, index) => index + 1));
    expect(document.annotations.map((a) => a.id)).toEqual(document.annotations.map((_, index) => index + 1));
    expect(Math.max(...document.annotations.map((a) => a.image_id))).toBeGreaterThan(64); // objects of later shards point past shard 0's images
  }, 60_000);
});

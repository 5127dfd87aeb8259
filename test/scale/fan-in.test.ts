import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/errors.js';
import { Exporter } from '../../lib/exporter/base-exporter.js';
import { ExportIncompleteError } from '../../lib/exporter/export-incomplete-error.js';
import { runExport } from '../../lib/exporter/run-export.js';
import type { Manifest } from '../../lib/output/manifest.js';
import { ExportRun } from '../../lib/run/export-run.js';
import { fanIn } from '../../lib/scale/fan-in.js';
import { FolderShardStore } from '../../lib/scale/folder-shard-store.js';
import { planFileShards } from '../../lib/scale/plan-shards.js';
import { runShard } from '../../lib/scale/run-shard.js';
import { storePlan } from '../../lib/scale/read-plan.js';
import type { FolderShardTarget, ShardPlan } from '../../lib/scale/shard-plan.js';
import { openInput } from '../../lib/sources/file-source.js';
import { rejectionOf } from '../helpers/assertions.js';
import { fileHashes } from '../helpers/file-hashes.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { writeCollidingDataset } from './fixtures/colliding-dataset.js';

const tempDir = tempDirs('se-fan-in-');

async function planned(items: number): Promise<{ plan: ShardPlan; store: FolderShardStore; data: string; staging: string; root: string; storeAgain: () => Promise<void> }> {
  const [data, root, staging] = await Promise.all([tempDir(), tempDir(), tempDir()]);
  await writeCollidingDataset(data, { items, media: true });
  const input = join(data, 'items.jsonl');
  const target: FolderShardTarget = { kind: 'folder', path: join(root, 'gt') };
  const { names, ...slices } = await planFileShards(input, 'jsonl', 4, new Exporter());
  const plan: ShardPlan = {
    version: 1,
    exportId: 'test-export',
    createdAt: new Date().toISOString(),
    target,
    spec: { input, inputBytes: 0, format: 'jsonl', name: 'gt', saveOriginalFile: true, concurrency: 8, downloadConcurrency: 2, download: {} },
    ...slices,
  };
  const store = new FolderShardStore(target);
  await storePlan(store, plan, names);
  return { plan, store, data, staging, root, storeAgain: () => storePlan(store, plan, names) };
}

/** The manifest without its times. */
async function stableManifest(dir: string): Promise<unknown> {
  const { started_at: _s, finished_at: _f, duration_ms: _d, ...rest } = JSON.parse(await readFile(join(dir, 'export_manifest.json'), 'utf8')) as Manifest;
  return rest;
}

describe('runShard + fanIn', () => {
  it('merges shard manifests and error lists into what a single by-id run writes; finished shards are not run again', async () => {
    const { plan, store, data, staging, root } = await planned(300);
    expect(plan.shards.length).toBe(4);
    for (const range of plan.shards.slice(0, 2)) expect((await runShard(plan, range.shard, store, { stagingDirectory: staging })).skipped).toBe(false);
    // A re-submitted export (say after Redis lost its jobs): shards 0 and 1 are kept as they are.
    const again = await Promise.all(plan.shards.map((range) => runShard(plan, range.shard, store, { stagingDirectory: staging })));
    expect(again.map((o) => o.skipped)).toEqual([true, true, false, false]);
    expect(again.reduce((sum, o) => sum + o.counts.total, 0)).toBe(300);

    const merged = await fanIn(plan, store, { stagingDirectory: staging });
    expect(merged.counts).toEqual({ total: 300, success: 297, failed: 3, skipped: 0 });
    expect(merged.wroteErrors).toBe(true);
    const single = await runExport({ source: await openInput(data), output: await tempDir(), name: 'gt', naming: 'by-id' });
    expect(await fileHashes(join(root, 'gt'), { except: ['export_manifest.json'] })).toEqual(await fileHashes(single.uniqueExportPath, { except: ['export_manifest.json'] }));
    expect(await stableManifest(join(root, 'gt'))).toEqual(await stableManifest(single.uniqueExportPath));
    expect(await readdir(join(root, 'gt'))).not.toContain('_shards');
    // A fan-in run again (its job retried) leaves the finished export as it is.
    const before = await fileHashes(join(root, 'gt'));
    expect((await fanIn(plan, store, { stagingDirectory: staging })).counts.total).toBe(300);
    expect(await fileHashes(join(root, 'gt'))).toEqual(before);
  });

  it('refuses to fan in while a shard has not finished, naming it', async () => {
    const { plan, store, staging } = await planned(200);
    await runShard(plan, 0, store, { stagingDirectory: staging });
    const error = await rejectionOf(fanIn(plan, store, { stagingDirectory: staging }));
    expect(error.code).toBe(ErrorCode.SHARD_FAILED);
    expect(error.message).toMatch(/shard 1 .* has no manifest/);
  });

  it('resumes a stopped shard from its journal on the machine that staged it, and gives the same files', async () => {
    const { plan, store, staging, root, storeAgain } = await planned(200);
    const stop = new AbortController();
    let seen = 0;
    const stopper = { attach: (r: ExportRun) => r.on('export_data_file', () => ++seen === 20 && stop.abort()) };
    const stopped = await runShard(plan, 0, store, { stagingDirectory: staging, signal: stop.signal, reporters: [stopper] }).catch((error: unknown) => error);
    expect(stopped).toBeInstanceOf(ExportIncompleteError);
    expect(await store.exists('_shards/shard-00000/export_manifest.json')).toBe(false);
    const messages: string[] = [];
    const listener = { attach: (r: ExportRun) => r.on('message', (m) => messages.push(m.content)) };
    const resumed = await runShard(plan, 0, store, { stagingDirectory: staging, reporters: [listener] });
    expect(resumed.counts.total).toBe(plan.shards[0]!.count);
    expect(messages.join('\n')).toMatch(/Resuming: [1-9]\d* items were already saved/);
    // Shard 0 alone, again from scratch elsewhere: the same files.
    const first = await fileHashes(join(root, 'gt'), { except: ['_shards/shard-00000/export_manifest.json', '_shards/plan.json'] });
    await store.deleteFolder('');
    await storeAgain();
    await runShard(plan, 0, store, { stagingDirectory: await tempDir() });
    expect(await fileHashes(join(root, 'gt'), { except: ['_shards/shard-00000/export_manifest.json', '_shards/plan.json'] })).toEqual(first);
  });
});

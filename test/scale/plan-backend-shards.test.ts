import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, ExportError } from '../../lib/errors.js';
import { Exporter } from '../../lib/exporter/base-exporter.js';
import { runExport } from '../../lib/exporter/run-export.js';
import { toRecords } from '../../lib/exporter/to-records.js';
import type { Manifest } from '../../lib/output/manifest.js';
import { BackendClient } from '../../lib/platform/client/index.js';
import { assignmentHandler } from '../../lib/platform/targets/index.js';
import type { BackendListing } from '../../lib/scale/backend-listing.js';
import { fanIn } from '../../lib/scale/fan-in.js';
import { FolderShardStore } from '../../lib/scale/folder-shard-store.js';
import { planBackendShards } from '../../lib/scale/plan-backend-shards.js';
import { PLAN_FILE, storePlan } from '../../lib/scale/read-plan.js';
import { runShard } from '../../lib/scale/run-shard.js';
import type { FolderShardTarget, ShardPlan } from '../../lib/scale/shard-plan.js';
import { shardSource } from '../../lib/scale/shard-source.js';
import type { ExportItem } from '../../lib/types.js';
import { rejectionOf } from '../helpers/assertions.js';
import { fileHashes } from '../helpers/file-hashes.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { StandInBackend } from '../platform/fixtures/stand-in-backend.js';

const tempDir = tempDirs('se-backend-shards-');
const TOKEN = 'worker-token-7';
const ITEMS = 250;

let backend: StandInBackend;
let savedEnv: NodeJS.ProcessEnv;

beforeEach(async () => {
  // Seven stems shared by 250 assignments: most names are planned by id.
  backend = await new StandInBackend({ token: TOKEN, assignments: { 3: ITEMS }, assignmentFileName: (i) => `img_${i % 7}.png` }).start();
  savedEnv = { ...process.env };
  // As on a worker: the token from the environment, never from the plan.
  process.env.SYNAPSE_ACCESS_TOKEN = TOKEN;
});
afterEach(async () => {
  process.env = savedEnv;
  await backend.stop();
});

function listing(): BackendListing {
  return { kind: 'backend', host: backend.url, target: 'assignment', filter: { project: 3, expand: 'data' }, pageSize: 20 };
}

async function planned(shards: number): Promise<{ plan: ShardPlan; store: FolderShardStore; root: string; staging: string }> {
  const [root, staging] = await Promise.all([tempDir(), tempDir()]);
  const target: FolderShardTarget = { kind: 'folder', path: join(root, 'gt') };
  const { names, listing: counted, ...slices } = await planBackendShards(listing(), shards, new Exporter());
  const plan: ShardPlan = {
    version: 1,
    exportId: 'backend-export',
    createdAt: new Date().toISOString(),
    target,
    spec: { input: 'assignments', inputBytes: 0, format: 'jsonl', backend: counted, name: 'gt', saveOriginalFile: true, concurrency: 8, downloadConcurrency: 4, download: {} },
    ...slices,
  };
  const store = new FolderShardStore(target);
  await storePlan(store, plan, names);
  return { plan, store, root, staging };
}

/** The project's assignments as the export action lists them: one walk over every page. */
async function* wholeListing(): AsyncGenerator<ExportItem> {
  const { results } = await assignmentHandler.getResults(new BackendClient({ host: backend.url }), { project: 3, expand: 'data' });
  for await (const result of results) yield assignmentHandler.toExportItem(result);
}

describe('planBackendShards + shardSource', () => {
  it('cuts the listing into contiguous page ranges whose shards read only their own pages', async () => {
    const { plan } = await planned(4);
    expect(plan.total).toBe(ITEMS);
    // 13 pages of 20 (the last one of 10) in 4 runs.
    expect(plan.shards.map((r) => [r.firstPage, r.lastPage, r.firstIndex, r.count])).toEqual([
      [1, 3, 0, 60],
      [4, 6, 60, 60],
      [7, 9, 120, 60],
      [10, 13, 180, 70],
    ]);
    backend.requests.length = 0;
    const ids: unknown[] = [];
    for (const range of plan.shards) {
      const source = shardSource(plan.spec, range);
      for await (const record of toRecords(source.items(), undefined, source.firstIndex)) {
        expect(record.index).toBe(ids.length + 1);
        ids.push(record.id);
      }
    }
    expect(ids).toEqual(Array.from({ length: ITEMS }, (_, i) => 200_000 + i));
    // Each page once, by the shard that owns it.
    expect(backend.requestsTo('sdk/assignments/').map((r) => Number(r.query.get('page') ?? '1'))).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });

  it('plans an empty listing as one empty shard, and never more shards than pages', async () => {
    backend.options.assignments = { 3: 0 };
    expect((await planBackendShards(listing(), 8, new Exporter())).shards).toEqual([{ shard: 0, firstIndex: 0, count: 0, firstPage: 1, lastPage: 1 }]);
    backend.options.assignments = { 3: 45 };
    expect((await planBackendShards(listing(), 8, new Exporter())).shards.map((r) => r.count)).toEqual([20, 20, 5]);
  });
});

describe('a sharded export of a backend listing (runShard + fanIn)', () => {
  it('equals the single-process by-id export of the same listing, file for file', async () => {
    const { plan, store, root, staging } = await planned(4);
    expect(await readFile(join(root, 'gt', PLAN_FILE), 'utf8')).not.toContain(TOKEN);
    for (const range of plan.shards) expect((await runShard(plan, range.shard, store, { stagingDirectory: staging })).counts.total).toBe(range.count);
    const merged = await fanIn(plan, store, { stagingDirectory: staging });
    expect(merged.counts).toEqual({ total: ITEMS, success: ITEMS, failed: 0, skipped: 0 });

    const single = await runExport({ source: { items: wholeListing, replayable: true }, output: await tempDir(), name: 'gt', naming: 'by-id', saveOriginalFile: true });
    const sharded = await fileHashes(join(root, 'gt'), { except: ['export_manifest.json'] });
    expect(sharded.size).toBe(2 * ITEMS); // a JSON file and an original per item
    expect(sharded.has('origin_files/img_0.png') && sharded.has('origin_files/img_0(1).png')).toBe(true);
    expect(sharded).toEqual(await fileHashes(single.uniqueExportPath, { except: ['export_manifest.json'] }));
    const manifest = async (dir: string) => {
      const { started_at: _s, finished_at: _f, duration_ms: _d, ...rest } = JSON.parse(await readFile(join(dir, 'export_manifest.json'), 'utf8')) as Manifest;
      return rest;
    };
    expect(await manifest(join(root, 'gt'))).toEqual(await manifest(single.uniqueExportPath));
  });

  it('refuses to run a shard over a listing whose count changed since planning', async () => {
    const { plan, store, staging } = await planned(4);
    backend.options.assignments = { 3: ITEMS + 1 };
    const error = await rejectionOf(runShard(plan, 1, store, { stagingDirectory: staging }));
    expect(error).toBeInstanceOf(ExportError);
    expect((error as ExportError).code).toBe(ErrorCode.SHARD_FAILED);
    expect((error as Error).message).toMatch(/holds 251 items, but the sharded export was planned over 250/);
  });
});

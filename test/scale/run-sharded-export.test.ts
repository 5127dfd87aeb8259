import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../lib/exporter/run-export.js';
import type { Manifest } from '../../lib/output/manifest.js';
import { runShardedExport } from '../../lib/scale/run-sharded-export.js';
import { archiveShardedExport } from '../../lib/scale/archive-sharded-export.js';
import { openShardStore } from '../../lib/scale/shard-store.js';
import { readZip } from '../helpers/zip.js';
import { openInput } from '../../lib/sources/file-source.js';
import { fileHashes } from '../helpers/file-hashes.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { MotoServer, motoUnavailable } from '../platform/fixtures/moto-server.js';
import { writeCollidingDataset } from './fixtures/colliding-dataset.js';
import { RedisServer, redisUnavailable } from './fixtures/redis-server.js';
import { WorkerProcesses } from './fixtures/worker-processes.js';
import { StandInBackend } from '../platform/fixtures/stand-in-backend.js';
import { ErrorCode } from '../../lib/errors.js';
import { rejectionOf } from '../helpers/assertions.js';
import { BackendClient } from '../../lib/platform/client/index.js';
import { assignmentHandler } from '../../lib/platform/targets/index.js';

const unavailable = redisUnavailable() ?? motoUnavailable();
if (unavailable !== null && process.env.CI) throw new Error(`sharded export tests need Redis and moto in CI: ${unavailable}`);

const tempDir = tempDirs('se-sharded-', { removeAfter: 'all' });

/** The manifest without what differs from run to run (times). */
function stable(manifest: Manifest): Omit<Manifest, 'started_at' | 'finished_at' | 'duration_ms'> {
  const { started_at: _s, finished_at: _f, duration_ms: _d, ...rest } = manifest;
  return rest;
}

/**
 * Three worker processes, one SIGKILLed in the middle of a shard: the export still finishes, the
 * killed shard is run again by another worker, and the result equals a single-process by-id export
 * of the same items, file for file.
 */
async function exportWithAKilledWorker(
  redis: string,
  input: string,
  output: Parameters<typeof runShardedExport>[0]['output'],
  options: { shards: number; saveOriginalFile: boolean; env?: NodeJS.ProcessEnv },
) {
  const workers = new WorkerProcesses();
  await workers.start(3, redis, await tempDir(), options.env);
  try {
    // Worker 0 is killed just after it starts a shard (the shard is then still running: each one
    // takes far longer than that); another worker must start that shard again.
    const killed = workers.waitFor((worker, line) => worker === 0 && / started /.test(line)).then(async ({ line }) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      workers.kill(0, 'SIGKILL');
      return Number(/shard (\d+)/.exec(line)![1]);
    });
    const restarted = killed.then((shard) => workers.waitFor((worker, line) => worker !== 0 && line.includes(`shard ${shard} of`) && line.includes('started')));
    const result = await runShardedExport({ redis, input, output, name: 'gt', shards: options.shards, saveOriginalFile: options.saveOriginalFile, concurrency: 8 });
    const shard = await killed;
    expect((await restarted).line).toContain(`shard ${shard} of`);
    return result;
  } finally {
    await workers.stop();
  }
}

describe.skipIf(unavailable !== null)(`runShardedExport on BullMQ workers${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const redis = new RedisServer();
  const moto = new MotoServer();
  beforeAll(async () => {
    await Promise.all([redis.start(), moto.start()]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([redis.stop(), moto.stop()]);
  });

  it('exports 20,000 items into a shared folder with a worker killed mid-shard, equal to a single-process by-id export', async () => {
    const [data, shared, single] = await Promise.all([tempDir(), tempDir(), tempDir()]);
    await writeCollidingDataset(data, { items: 20_000 });
    const result = await exportWithAKilledWorker(redis.url, data, shared, { shards: 12, saveOriginalFile: false });
    expect(result.counts).toEqual({ total: 20_000, success: 19_998, failed: 2, skipped: 0 });
    expect(result.uniqueExportPath).toBe(join(shared, 'gt'));

    const reference = await runExport({ source: await openInput(data), output: single, name: 'gt', naming: 'by-id', saveOriginalFile: false });
    const sharded = await fileHashes(result.uniqueExportPath);
    expect(sharded.size).toBe(20_000); // 19,998 JSON files, the error list and the manifest
    sharded.delete('export_manifest.json');
    expect(sharded).toEqual(await fileHashes(reference.uniqueExportPath, { except: ['export_manifest.json'] }));
    const manifest = (path: string) => readFile(join(path, 'export_manifest.json'), 'utf8').then((text) => JSON.parse(text) as Manifest);
    expect(stable(await manifest(result.uniqueExportPath))).toEqual(stable(await manifest(reference.uniqueExportPath)));
    // No shard state, no partial files left behind.
    expect((await readdir(result.uniqueExportPath)).sort()).toEqual(['error_file_list.json', 'export_manifest.json', 'json']);
  }, 240_000);

  it('exports into S3 (moto) with a worker killed mid-shard, object for object equal to a single-process by-id export', async () => {
    const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
    Object.assign(process.env, credentials);
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    // Its own bucket: a moto server shared by several runs keeps the buckets of earlier ones.
    const bucket = `sharded-${Date.now()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const [data, single] = await Promise.all([tempDir(), tempDir()]);
    await writeCollidingDataset(data, { items: 300, media: true });
    const result = await exportWithAKilledWorker(redis.url, data, { bucket, prefix: 'team/exports', endpoint: moto.url }, { shards: 4, saveOriginalFile: true, env: credentials });
    expect(result.uniqueExportPath).toBe(`s3://${bucket}/team/exports/gt`);
    expect(result.counts).toEqual({ total: 300, success: 297, failed: 3, skipped: 0 });

    const stored = new Map<string, string>();
    let manifest: Manifest | undefined;
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'team/exports/gt/', ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }))).Body!.transformToByteArray());
        const path = object.Key!.slice('team/exports/gt/'.length);
        if (path === 'export_manifest.json') manifest = JSON.parse(body.toString('utf8')) as Manifest;
        else stored.set(path, createHash('sha256').update(body).digest('hex'));
      }
      token = page.NextContinuationToken;
    } while (token !== undefined);
    s3.destroy();

    // The archive step reads the same objects back through the store (ShardStore.read).
    const zipPath = join(await tempDir(), 'gt.zip');
    const store = openShardStore({ kind: 's3', bucket, key: 'team/exports/gt', endpoint: moto.url });
    try {
      expect(await archiveShardedExport(store, zipPath)).toEqual([zipPath]);
    } finally {
      store.destroy();
    }
    const archived = await readZip(zipPath);
    expect(JSON.parse(archived.get('export_manifest.json')!.toString('utf8'))).toEqual(manifest);
    archived.delete('export_manifest.json');
    expect(new Map([...archived].map(([name, bytes]) => [name, createHash('sha256').update(bytes).digest('hex')]))).toEqual(stored);

    const reference = await runExport({ source: await openInput(data), output: single, name: 'gt', naming: 'by-id' });
    expect(stored).toEqual(await fileHashes(reference.uniqueExportPath, { except: ['export_manifest.json'] }));
    const referenceManifest = JSON.parse(await readFile(reference.manifestPath, 'utf8')) as Manifest;
    expect(stable(manifest!)).toEqual(stable(referenceManifest));
  }, 240_000);

  it('exports a backend listing by page ranges on two worker processes, equal to a single-process by-id export', async () => {
    const token = 'workers-token';
    const backend = await new StandInBackend({ token, assignments: { 3: 400 }, assignmentFileName: (i) => `img_${i % 9}.png` }).start();
    const saved = { ...process.env };
    const workers = new WorkerProcesses();
    try {
      // Host and token from the environment, on the planning process and on each worker alike.
      Object.assign(process.env, { SYNAPSE_HOST: backend.url, SYNAPSE_ACCESS_TOKEN: token });
      await workers.start(2, redis.url, await tempDir(), { SYNAPSE_ACCESS_TOKEN: token });
      const [shared, single] = await Promise.all([tempDir(), tempDir()]);
      const result = await runShardedExport({ redis: redis.url, backend: { target: 'assignment', filter: { project: 3 }, pageSize: 25 }, output: shared, name: 'gt', shards: 5, concurrency: 8 });
      expect(result.counts).toEqual({ total: 400, success: 400, failed: 0, skipped: 0 });
      expect(result.shards).toBe(5);
      // Planning read every page (twice: names collide); the shards read each page once more, none twice.
      const pages = backend.requestsTo('sdk/assignments/').map((r) => Number(r.query.get('page') ?? '1'));
      expect(pages.sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => [i + 1, i + 1, i + 1]).flat());

      async function* listing() {
        const { results } = await assignmentHandler.getResults(new BackendClient(), { project: 3, expand: 'data' });
        for await (const one of results) yield assignmentHandler.toExportItem(one);
      }
      const reference = await runExport({ source: { items: listing, replayable: true }, output: single, name: 'gt', naming: 'by-id' });
      expect(await fileHashes(result.uniqueExportPath, { except: ['export_manifest.json'] })).toEqual(await fileHashes(reference.uniqueExportPath, { except: ['export_manifest.json'] }));
      const manifest = (path: string) => readFile(join(path, 'export_manifest.json'), 'utf8').then((text) => JSON.parse(text) as Manifest);
      expect(stable(await manifest(result.uniqueExportPath))).toEqual(stable(await manifest(reference.uniqueExportPath)));
    } finally {
      process.env = saved;
      await workers.stop();
      await backend.stop();
    }
  }, 120_000);

  it('refuses a backend source given with an items file, or with a training format', async () => {
    const output = await tempDir();
    const backend = { target: 'assignment', filter: { project: 3 }, host: 'http://127.0.0.1:1/api/' };
    const both = await rejectionOf(runShardedExport({ redis: redis.url, input: output, backend, output, name: 'gt' }));
    expect([both.code, both.message]).toEqual([ErrorCode.INVALID_OPTION, expect.stringMatching(/either `input` .* or `backend`/)]);
    const coco = await rejectionOf(runShardedExport({ redis: redis.url, backend, output, name: 'gt', format: 'coco' }));
    expect([coco.code, coco.message]).toEqual([ErrorCode.INVALID_OPTION, expect.stringMatching(/dm layout only/)]);
  });
});

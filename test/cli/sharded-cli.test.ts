/**
 * `run --workers` and `worker` as a user types them: the built CLI (dist/), real worker processes
 * on a real Redis, a shared folder as the store.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';
import { hasUnzip, readZip, unzipTest } from '../helpers/zip.js';
import { writeAnnotatedDataset } from '../scale/fixtures/annotated-dataset.js';
import { writeCollidingDataset } from '../scale/fixtures/colliding-dataset.js';
import { formatFiles, formatManifest } from '../scale/fixtures/format-files.js';
import { RedisServer, redisUnavailable } from '../scale/fixtures/redis-server.js';
import { WorkerProcesses } from '../scale/fixtures/worker-processes.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const tempDir = tempDirs('se-sharded-cli-', { removeAfter: 'all' });

async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('run --workers: usage', () => {
  it.each([
    [['--shards', '4'], /--shards needs --workers/],
    [['--workers', 'http://x'], /--workers takes a redis:\/\/ URL/],
    [['--workers', 'redis://127.0.0.1:1', '--format', 'voc'], /--format voc \(coco, yolo, yolo-seg and yolo-pose are\) is not supported with --workers/],
    [['--workers', 'redis://127.0.0.1:1', '--zip-only'], /--zip-only is not supported with --workers/],
  ])('exits 2 for %j', async (extra, message) => {
    const out = await tempDir();
    const result = await cli(['run', '--input', 'examples/sample-dataset', '--out', out, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

const unavailable = redisUnavailable();
if (unavailable !== null && process.env.CI) throw new Error(`sharded CLI tests need Redis in CI: ${unavailable}`);

describe.skipIf(unavailable !== null)(`run --workers with two worker processes${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const redis = new RedisServer();
  beforeAll(() => redis.start(), 30_000);
  afterAll(() => redis.stop());

  it('prints the usual summary and exit code, and --json gives the result', async () => {
    const [data, shared] = await Promise.all([tempDir(), tempDir()]);
    await writeCollidingDataset(data, { items: 400, media: true });
    const workers = new WorkerProcesses();
    await workers.start(2, redis.url, await tempDir());
    try {
      const result = await cli(['run', '--input', data, '--out', shared, '--name', 'gt', '--workers', redis.url, '--shards', '3', '--json']);
      expect(result.code, result.stderr).toBe(3);
      const summary = JSON.parse(result.stdout) as { uniqueExportPath: string; counts: unknown; shards: number };
      expect(summary).toMatchObject({ uniqueExportPath: join(shared, 'gt'), counts: { total: 400, success: 397, failed: 3, skipped: 0 }, shards: 3 });
      const manifest = JSON.parse(await readFile(join(shared, 'gt', 'export_manifest.json'), 'utf8')) as { complete: boolean; files: unknown[] };
      expect(manifest.complete).toBe(true);
      // 398 JSON files and 398 originals (the null item has no JSON, the missing file no original), the error list.
      expect(manifest.files).toHaveLength(398 + 398 + 1);
    } finally {
      await workers.stop();
    }
  }, 120_000);

  it.each(['coco', 'yolo'])('--format %s: the sharded dataset equals the single-process --naming by-id export, file for file (coco: and --zip archives it)', async (format) => {
    const [data, shared, single] = await Promise.all([tempDir(), tempDir(), tempDir()]);
    await writeAnnotatedDataset(data, 12); // 288 items
    const workers = new WorkerProcesses();
    await workers.start(2, redis.url, await tempDir());
    try {
      const zip = format === 'coco' ? ['--zip'] : [];
      const result = await cli(['run', '--input', data, '--out', shared, '--name', 'gt', '--format', format, '--workers', redis.url, '--shards', '4', '--json', ...zip]);
      const reference = await cli(['run', '--input', data, '--out', single, '--name', 'gt', '--format', format, '--naming', 'by-id', '--json']);
      expect(result.code, result.stderr).toBe(reference.code);
      expect((JSON.parse(result.stdout) as { counts: unknown }).counts).toEqual((JSON.parse(reference.stdout) as { counts: unknown }).counts);
      const expected = await formatFiles(join(single, 'gt'));
      expect(expected.has(format === 'coco' ? 'annotations.json' : 'dataset.yaml')).toBe(true);
      expect(await formatFiles(join(shared, 'gt'))).toEqual(expected);
      expect(await formatManifest(join(shared, 'gt'))).toEqual(await formatManifest(join(single, 'gt')));
      if (format === 'coco') {
        // The archive step: the folder's files, streamed from the store into <folder>.zip.
        expect((JSON.parse(result.stdout) as { archivePaths: string[] }).archivePaths).toEqual([join(shared, 'gt.zip')]);
        if (hasUnzip) unzipTest(join(shared, 'gt.zip'));
        const archived = await readZip(join(shared, 'gt.zip'));
        expect(archived.size).toBe((await listFiles(join(shared, 'gt'))).length);
        for (const [name, bytes] of archived) expect(bytes.equals(await readFile(join(shared, 'gt', name))), name).toBe(true);
      }
    } finally {
      await workers.stop();
    }
  }, 120_000);
});

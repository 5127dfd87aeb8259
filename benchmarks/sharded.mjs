#!/usr/bin/env node
// Sharded export throughput: items/s of `synapse-export run --workers` with 1, 2 and 4 local worker
// processes (BullMQ on a local Redis, a shared folder as the store), beside a single-process
// `--naming by-id` run of the same items, plus the Redis commands and stored files each export costs.
//
//   node benchmarks/sharded.mjs [--items 20000] [--shards 8] [--workers 1,2,4 (0: none)] [--originals]
//
// Uses REDIS_URL when set, else starts redis-server on a free port. Results: a table on standard
// output and benchmarks/results/<date>-sharded-<items>.json.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Exporter, FolderShardStore, fanIn, openInput, planFileShards, runExport, runShard, runShardedExport, storePlan } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '20000' },
    shards: { type: 'string', default: '8' },
    workers: { type: 'string', default: '1,2,4' },
    originals: { type: 'boolean', default: false },
  },
});
const items = Number(values.items);
const shards = Number(values.shards);
const workerCounts = values.workers.split(',').map(Number).filter((n) => n > 0); // --workers 0: single process and phases only
const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'se-bench-sharded-'));

function writeDataset(dir) {
  mkdirSync(join(dir, 'media'), { recursive: true });
  for (let m = 0; m < 100; m++) writeFileSync(join(dir, 'media', `m${m}.jpg`), Buffer.alloc(20_000, m));
  const lines = [];
  for (let i = 0; i < items; i++) {
    const id = i + 1;
    const annotations = Array.from({ length: 8 }, (_, k) => ({ id: `a${k}`, tool: 'bounding_box', classification: { class: `c${k % 5}` }, data: [k, k * 2, 40, 30] }));
    lines.push(JSON.stringify({ id, data: { annotations: { image_1: annotations }, text: 'x'.repeat(400) }, files: { file_name_original: `frame_${id % (items / 2)}.jpg`, path: `media/m${i % 100}.jpg` } }));
  }
  writeFileSync(join(dir, 'items.jsonl'), `${lines.join('\n')}\n`);
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  const port = await freePort();
  const dir = join(root, 'redis');
  mkdirSync(dir);
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  for (let i = 0; i < 100 && spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() !== 'PONG'; i++) await new Promise((r) => setTimeout(r, 100));
  return { url: `redis://127.0.0.1:${port}`, stop: async () => { child.kill(); await once(child, 'exit'); } };
}

/** Total Redis commands served so far (INFO commandstats). */
async function redisCalls(redis) {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function startWorkers(count, redisUrl) {
  const children = [];
  const ready = [];
  for (let w = 0; w < count; w++) {
    const child = spawn(process.execPath, [CLI, 'worker', '--redis', redisUrl, '--quiet', '--staging', join(root, 'staging', String(w))], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    ready.push(new Promise((resolve) => child.stderr.on('data', (d) => d.toString().includes('worker ready') && resolve())));
  }
  await Promise.all(ready);
  return async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : null)));
  };
}

const data = join(root, 'data');
writeDataset(data);
const redisServer = await startRedis();
const redis = new Redis(redisServer.url);
const rows = [];
const measuredAt = { cpus: cpus().length, loadBefore: loadavg()[0] };

const singleStart = performance.now();
const single = await runExport({ source: await openInput(data), output: join(root, 'single'), name: 'gt', naming: 'by-id', saveOriginalFile: values.originals });
const singleSeconds = (performance.now() - singleStart) / 1000;
rows.push({ run: 'single process, --naming by-id', workers: 0, seconds: singleSeconds, itemsPerSecond: single.counts.total / singleSeconds });

for (const count of workerCounts) {
  const stop = await startWorkers(count, redisServer.url);
  const callsBefore = await redisCalls(redis);
  const start = performance.now();
  const result = await runShardedExport({ redis: redisServer.url, input: data, output: join(root, `shared-${count}`), name: 'gt', shards, saveOriginalFile: values.originals });
  const seconds = (performance.now() - start) / 1000;
  const calls = (await redisCalls(redis)) - callsBefore;
  await stop();
  rows.push({ run: `${count} worker${count > 1 ? 's' : ''}, ${shards} shards`, workers: count, seconds, itemsPerSecond: result.counts.total / seconds, redisCalls: calls, redisCallsPerShard: calls / result.shards });
}
// The two steps that run on one machine whatever the number of workers: planning and the fan-in.
const planStart = performance.now();
const { names, ...planned } = await planFileShards(join(data, 'items.jsonl'), 'jsonl', shards, new Exporter());
const planSeconds = (performance.now() - planStart) / 1000;
const target = { kind: 'folder', path: join(root, 'phases', 'gt') };
const plan = { version: 1, exportId: 'phases', createdAt: new Date().toISOString(), target, spec: { input: join(data, 'items.jsonl'), inputBytes: 0, format: 'jsonl', name: 'gt', saveOriginalFile: values.originals, concurrency: 16, downloadConcurrency: 8, download: {} }, ...planned };
const store = new FolderShardStore(target);
await storePlan(store, plan, names);
for (const range of plan.shards) await runShard(plan, range.shard, store, { stagingDirectory: join(root, 'phases-staging') });
const fanInStart = performance.now();
await fanIn(plan, store, { stagingDirectory: join(root, 'phases-staging') });
const fanInSeconds = (performance.now() - fanInStart) / 1000;
const phases = { planSeconds, planItemsPerSecond: items / planSeconds, collidingItemsPlanned: names.size, fanInSeconds, fanInFileEntriesPerSecond: (items * (values.originals ? 2 : 1)) / fanInSeconds };
measuredAt.loadAfter = loadavg()[0];
redis.disconnect();
await redisServer.stop();
rmSync(root, { recursive: true, force: true });

const filesPerItem = values.originals ? 2 : 1;
console.log(`\n${items} items (${values.originals ? 'JSON + originals' : 'JSON only'}), ${cpus().length} CPUs, load average ${measuredAt.loadBefore.toFixed(1)} → ${measuredAt.loadAfter.toFixed(1)}\n`);
console.log('| run | s | items/s | stored files/s | Redis commands (per shard) |\n|---|---|---|---|---|');
for (const row of rows) {
  console.log(`| ${row.run} | ${row.seconds.toFixed(1)} | ${Math.round(row.itemsPerSecond)} | ${Math.round(row.itemsPerSecond * filesPerItem)} | ${row.redisCalls === undefined ? '–' : `${row.redisCalls} (${Math.round(row.redisCallsPerShard)})`} |`);
}
console.log(`\nplanning: ${phases.planSeconds.toFixed(2)} s (${Math.round(phases.planItemsPerSecond)} items/s, ${phases.collidingItemsPlanned} colliding items planned); fan-in: ${phases.fanInSeconds.toFixed(2)} s (${Math.round(phases.fanInFileEntriesPerSecond)} manifest entries/s)`);
const out = new URL(`results/${new Date().toISOString().slice(0, 10)}-sharded-${items}${values.originals ? "-originals" : ""}-w${workerCounts.join("-") || 0}.json`, import.meta.url).pathname;
writeFileSync(out, `${JSON.stringify({ items, shards, originals: values.originals, machine: measuredAt, rows, phases }, null, 2)}\n`);
console.log(`\nwritten ${out}`);

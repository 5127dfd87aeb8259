#!/usr/bin/env node
// Why the file workers split work by directory: copies files the way a file worker does (read,
// write to `.partial`, rename, sha256) from 1, 2 or 4 threads, all into one directory or each
// into its own, and prints files/s and CPU seconds for each layout; first, what creating one empty
// file costs the kernel here.
//   node benchmarks/directory-parallelism.mjs [--files 20000] [--out DIR]
// Measured here (2 cores, ext4): two threads in one directory ran no faster than one and burned
// 1.6× the CPU (they contend for the directory's lock); two threads in two directories ran
// 1.6–2.1× faster at the same CPU, and four threads on two cores were slower than two.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const { values } = parseArgs({ options: { files: { type: 'string', default: '20000' }, out: { type: 'string' } } });
const total = Number(values.files);
const root = mkdtempSync(join(values.out ?? tmpdir(), 'se-dir-parallelism-'));
const sources = Array.from({ length: 1000 }, (_, i) => join(root, `source-${i}.jpg`));
sources.forEach((source, i) => writeFileSync(source, Buffer.alloc(20_000 + (i % 7) * 300, source)));

const COPIER = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const { sources, directory, first, count } = workerData;
for (let i = first; i < first + count; i++) {
  const bytes = fs.readFileSync(sources[i % sources.length]);
  const path = directory + '/f' + i + '.jpg';
  fs.writeFileSync(path + '.partial', bytes);
  fs.renameSync(path + '.partial', path);
  createHash('sha256').update(bytes).digest('hex');
}
parentPort.postMessage(null);
`;

async function run(threads, layout) {
  const out = join(root, `${layout}-${threads}`);
  const directories = Array.from({ length: threads }, (_, i) => join(out, layout === 'one directory' ? 'd' : `d${i}`));
  for (const directory of directories) mkdirSync(directory, { recursive: true });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const share = Math.ceil(total / threads);
  await Promise.all(
    directories.map(
      (directory, i) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(COPIER, { eval: true, workerData: { sources, directory, first: i * share, count: Math.min(share, total - i * share) } });
          worker.once('message', resolve).once('error', reject);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(`${String(threads).padStart(2)} thread(s), ${layout.padEnd(15)} ${String(Math.round(total / seconds)).padStart(6)} files/s  CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
  rmSync(out, { recursive: true, force: true });
}

/** The floor under every export: the system CPU time of creating one empty file here. */
function emptyFileCost() {
  const out = join(root, 'empty');
  mkdirSync(out);
  const before = process.cpuUsage();
  for (let i = 0; i < 10_000; i++) closeSync(openSync(join(out, `f${i}`), 'w'));
  const { system } = process.cpuUsage(before);
  console.log(`creating an empty file: ${Math.round(system / 10_000)} µs of system CPU (10,000 files, one thread)`);
  rmSync(out, { recursive: true, force: true });
}

try {
  emptyFileCost();
  for (const threads of [1, 2, 4]) {
    await run(threads, 'one directory');
    if (threads > 1) await run(threads, 'one each');
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

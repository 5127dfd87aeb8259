#!/usr/bin/env node
// Exports N synthetic items (JSON only, about 2.5 KB of DM v1 each) and reports throughput and
// peak RSS, sampled every 100 ms. Usage (after `npm run build`):
//   node benchmarks/flat-memory.mjs [--count 1000000] [--out DIR] [--keep]
//     [--format coco|yolo|yolo-seg|yolo-pose|voc]   (the same items in a training format instead of JSON)
//     [--archive zip|zip-only] [--zip-level 0-9]   (also write the export as a zip, or only the zip)
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatExporter, runExport, syntheticSource } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '16' },
    format: { type: 'string', default: 'dm' },
    archive: { type: 'string' },
    'zip-level': { type: 'string' },
  },
});
const count = Number(values.count);
const out = values.out ?? (await mkdtemp(join(tmpdir(), 'se-flat-memory-')));

const samples = [];
let peak = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  peak = Math.max(peak, rss);
  samples.push(rss);
}, 100);

const started = performance.now();
const source = syntheticSource({ count });
const exporter = values.format === 'dm' ? undefined : formatExporter(values.format, {});
await exporter?.prepare(source);
const result = await runExport({
  ...(exporter === undefined ? {} : { exporter }),
  source,
  output: out,
  name: 'flat-memory',
  saveOriginalFile: false,
  concurrency: Number(values.concurrency),
  ...(values.archive === undefined
    ? {}
    : { archive: { mode: values.archive, ...(values['zip-level'] === undefined ? {} : { level: Number(values['zip-level']) }) } }),
});
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());

const mb = (bytes) => Math.round(bytes / 1048576);
const at = (fraction) => mb(samples[Math.min(samples.length - 1, Math.floor(samples.length * fraction))] ?? 0);
console.log(
  JSON.stringify({
    format: values.format,
    items: result.counts.total,
    failed: result.counts.failed,
    seconds: Number(seconds.toFixed(1)),
    itemsPerSecond: Math.round(count / seconds),
    peakRssMb: mb(peak),
    rssMbAt: { '10%': at(0.1), '50%': at(0.5), '100%': at(1) },
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
    ...(result.archivePaths.length > 0 ? { archiveMb: mb((await Promise.all(result.archivePaths.map((p) => stat(p)))).reduce((sum, s) => sum + s.size, 0)) } : {}),
  }),
);
if (!values.keep) await rm(out, { recursive: true, force: true });

#!/usr/bin/env node
// Measures archiver 8's memory per zip entry, the reason synapse-export has its own zip writer.
// archiver is not a dependency; install it for the measurement only:
//   npm install --no-save archiver@8 && node --expose-gc benchmarks/archiver-memory.mjs --count 100000
// Adds N JSON entries of about 2.5 KB (stored), waiting for archiver's 'entry' event every 256
// appends (archiver has no other backpressure), then finalizes; RSS is sampled every 50 ms.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ZipArchive } from 'archiver';

const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' } } });
const count = Number(values.count);
const dir = await mkdtemp(join(tmpdir(), 'se-archiver-'));
const body = Buffer.from(JSON.stringify({ annotations: 'x'.repeat(2400) }));

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
const archive = new ZipArchive({ store: true });
const file = createWriteStream(join(dir, 'a.zip'));
archive.pipe(file);
const mb = (bytes) => Math.round(bytes / 1048576);
const started = performance.now();
const heapStart = process.memoryUsage().heapUsed;
for (let i = 0; i < count; i++) {
  archive.append(body, { name: `json/${i}.json` });
  if (i % 256 === 255) await once(archive, 'entry');
}
globalThis.gc?.();
const heapBeforeFinalize = process.memoryUsage().heapUsed;
await archive.finalize();
await once(file, 'close');
clearInterval(sampler);
console.log(
  JSON.stringify({
    entries: count,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    heapBeforeFinalizeMb: mb(heapBeforeFinalize),
    heapBytesPerEntryBeforeFinalize: Math.round((heapBeforeFinalize - heapStart) / count),
    peakRssMb: mb(Math.max(peak, process.memoryUsage.rss())),
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
  }),
);
await rm(dir, { recursive: true, force: true });

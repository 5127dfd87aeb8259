// synapse-export itself (the built library), reading the same JSONL file (or the same items served
// by the loopback backend stand-in), in one of the suite's scenarios.
// usage: engine.mjs --items F --out DIR --count N [--originals] [--concurrency N] [--media-mode copy]
//          [--archive zip|zip-only] [--zip-level N] [--format coco|yolo] [--highland] [--backend]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { basename, dirname } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { classList, formatExporter, openInput, runExport } from '../../dist/index.js';
import { startMeasurement } from '../lib/measure.mjs';

const { values } = parseArgs({
  options: {
    items: { type: 'string' }, out: { type: 'string' }, count: { type: 'string' },
    originals: { type: 'boolean', default: false }, concurrency: { type: 'string' },
    'media-mode': { type: 'string', default: 'copy' },
    archive: { type: 'string' },
    'zip-level': { type: 'string' },
    format: { type: 'string' },
    highland: { type: 'boolean', default: false },
    backend: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const server = values.backend ? await startStandIn(values.items) : undefined;
const source = server === undefined ? await openInput(values.items) : await backendSource(server.url);
const measure = startMeasurement(count);
const counted = {
  ...source,
  async *items() {
    for await (const item of source.items()) {
      measure.tick();
      yield item;
    }
  },
};
const options = {
  source: values.highland ? await throughHighland(counted) : counted,
  output: dirname(values.out),
  name: basename(values.out),
  saveOriginalFile: values.originals,
  total: count,
};
// Unless given, the library's default, as a user gets it.
if (values.concurrency !== undefined) options.concurrency = Number(values.concurrency);
if (values['media-mode'] !== 'copy') options.mediaMode = values['media-mode'];
if (values.archive !== undefined) options.archive = { mode: values.archive, level: values['zip-level'] === undefined ? undefined : Number(values['zip-level']) };
if (values.format !== undefined) {
  // The synthetic items' classes, given up front as `--classes` would (YOLO would otherwise read the input twice).
  const classes = classList(['bicycle', 'car', 'person', 'traffic_light', 'vélo']);
  options.exporter = formatExporter(values.format, { classList: classes });
}
const result = await runExport(options);
server?.child.kill();
if (result.counts.success !== result.counts.total) {
  console.error(`engine: ${result.counts.failed} of ${result.counts.total} items failed`);
  process.exitCode = 1;
}
measure.finish({ failed: result.counts.failed });

/**
 * The stand-in runs in a process of its own, so its CPU time and memory are not billed to the
 * export (the backend's work is the platform's, not the exporter's).
 */
async function startStandIn(items) {
  const child = spawn(process.execPath, [new URL('../lib/backend-stand-in.mjs', import.meta.url).pathname, items], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout, 'data');
  return { child, url: line.toString().trim() };
}

/** The export action's assignment listing through the library's backend client, as export items. */
async function backendSource(host) {
  // The platform entry only for this scenario, as an export from JSONL would not load it.
  const { BackendClient, assignmentHandler } = await import('../../dist/platform.js');
  const client = new BackendClient({ host, token: 'bench' });
  const listing = await assignmentHandler.getResults(client, { project: 1 });
  return {
    total: listing.count,
    async *items() {
      for await (const result of listing.results) yield assignmentHandler.toExportItem(result);
    },
  };
}

/**
 * The same items through a highland stage (identity map) between the source and the export. The
 * adapter's entry is loaded for this scenario only, as a user without highland would not load it.
 */
async function throughHighland(inner) {
  const { highlandStage } = await import('../../dist/highland.js');
  return {
    ...inner,
    items: () => Readable.from(inner.items()).pipe(highlandStage((stream) => stream.map((item) => item))),
  };
}

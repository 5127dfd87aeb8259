// synapse-export itself (the built library), reading the same JSONL file.
// usage: engine.mjs --items F --out DIR --count N [--originals] [--concurrency 16] [--media-mode copy]
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { openInput, runExport } from '../../dist/index.js';
import { startMeasurement } from '../lib/measure.mjs';

const { values } = parseArgs({
  options: {
    items: { type: 'string' }, out: { type: 'string' }, count: { type: 'string' },
    originals: { type: 'boolean', default: false }, concurrency: { type: 'string', default: '16' },
    'media-mode': { type: 'string', default: 'copy' },
  },
});
const source = await openInput(values.items);
const measure = startMeasurement(Number(values.count));
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
  source: counted,
  output: dirname(values.out),
  name: basename(values.out),
  saveOriginalFile: values.originals,
  concurrency: Number(values.concurrency),
  total: Number(values.count),
};
if (values['media-mode'] !== 'copy') options.mediaMode = values['media-mode'];
const result = await runExport(options);
if (result.counts.success !== result.counts.total) {
  console.error(`engine: ${result.counts.failed} of ${result.counts.total} items failed`);
  process.exitCode = 1;
}
measure.finish({ failed: result.counts.failed });

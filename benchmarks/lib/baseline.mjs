// What every Node baseline shares: the harness's arguments, the export's two folders, and where
// an item's JSON and original go (the same names synapse-export gives them, without collisions).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readJsonLines, startMeasurement } from './measure.mjs';

/** Parses `--items F --out DIR --count N [--originals]` plus the baseline's own `options`. */
export function startBaseline(options) {
  const { values } = parseArgs({
    options: {
      items: { type: 'string' }, out: { type: 'string' }, count: { type: 'string' },
      originals: { type: 'boolean', default: false }, ...options,
    },
  });
  const base = dirname(resolve(values.items));
  const jsonDir = join(values.out, 'json');
  const originDir = join(values.out, 'origin_files');
  mkdirSync(jsonDir, { recursive: true });
  if (values.originals) mkdirSync(originDir, { recursive: true });
  const baseline = {
    values,
    measure: startMeasurement(Number(values.count)),
    jsonPath: (item) => join(jsonDir, `${item.files.file_name_original.replace(/\.[^.]*$/, '')}.json`),
    /** [source, destination] of the item's original. */
    originalPaths: (item) => [join(base, item.files.path), join(originDir, item.files.file_name_original)],
    /** The plainest exporter: writeFileSync + copyFileSync, one item after the other. */
    async runSequential() {
      for await (const item of readJsonLines(values.items)) {
        writeFileSync(baseline.jsonPath(item), JSON.stringify(item.data, null, 4));
        if (values.originals) copyFileSync(...baseline.originalPaths(item));
        baseline.measure.tick();
      }
    },
  };
  return baseline;
}

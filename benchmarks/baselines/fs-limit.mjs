// The machine's limit for the same file operations: raw `fs` calls, no pipeline, no hashing, no
// manifest. The harness runs each strategy and keeps the best as "limit".
//   --strategy sync      writeFileSync + copyFileSync on the main thread
//   --strategy cb:N      callback fs.writeFile + fs.copyFile with N operations in flight
// usage: fs-limit.mjs --items F --out DIR --count N [--originals] --strategy sync|cb:N
import { copyFile, copyFileSync, mkdirSync, writeFile, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readJsonLines, startMeasurement } from '../lib/measure.mjs';

const { values } = parseArgs({
  options: {
    items: { type: 'string' }, out: { type: 'string' }, count: { type: 'string' },
    originals: { type: 'boolean', default: false }, strategy: { type: 'string', default: 'sync' },
  },
});
const base = dirname(resolve(values.items));
const jsonDir = join(values.out, 'json');
const originDir = join(values.out, 'origin_files');
mkdirSync(jsonDir, { recursive: true });
if (values.originals) mkdirSync(originDir, { recursive: true });
const measure = startMeasurement(Number(values.count));
const stemOf = (name) => name.replace(/\.[^.]*$/, '');

if (values.strategy === 'sync') {
  for await (const item of readJsonLines(values.items)) {
    const name = item.files.file_name_original;
    writeFileSync(join(jsonDir, `${stemOf(name)}.json`), JSON.stringify(item.data, null, 4));
    if (values.originals) copyFileSync(join(base, item.files.path), join(originDir, name));
    measure.tick();
  }
} else {
  const limit = Number(values.strategy.split(':')[1]);
  let running = 0;
  let wake = null;
  const done = (error) => {
    if (error) throw error;
    running -= 1;
    if (wake !== null && running < limit) { const w = wake; wake = null; w(); }
  };
  for await (const item of readJsonLines(values.items)) {
    const name = item.files.file_name_original;
    running += 1;
    writeFile(join(jsonDir, `${stemOf(name)}.json`), JSON.stringify(item.data, null, 4), done);
    if (values.originals) { running += 1; copyFile(join(base, item.files.path), join(originDir, name), done); }
    measure.tick();
    if (running >= limit) await new Promise((r) => { wake = r; });
  }
  while (running > 0) await new Promise((r) => { wake = r; });
}
measure.finish({ strategy: values.strategy });

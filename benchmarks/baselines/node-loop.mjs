// The naive Node exporters: `--in-flight 1` is a sequential loop of writeFileSync + copyFileSync;
// `--in-flight N` keeps N items in flight with fs/promises writeFile + copyFile (no pipeline).
// usage: node-loop.mjs --items F --out DIR --count N [--originals] [--in-flight 1]
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readJsonLines, startMeasurement } from '../lib/measure.mjs';

const { values } = parseArgs({
  options: {
    items: { type: 'string' }, out: { type: 'string' }, count: { type: 'string' },
    originals: { type: 'boolean', default: false }, 'in-flight': { type: 'string', default: '1' },
  },
});
const base = dirname(resolve(values.items));
const jsonDir = join(values.out, 'json');
const originDir = join(values.out, 'origin_files');
mkdirSync(jsonDir, { recursive: true });
if (values.originals) mkdirSync(originDir, { recursive: true });
const inFlight = Number(values['in-flight']);
const measure = startMeasurement(Number(values.count));

const stemOf = (name) => name.replace(/\.[^.]*$/, '');
if (inFlight === 1) {
  for await (const item of readJsonLines(values.items)) {
    const name = item.files.file_name_original;
    writeFileSync(join(jsonDir, `${stemOf(name)}.json`), JSON.stringify(item.data, null, 4));
    if (values.originals) copyFileSync(join(base, item.files.path), join(originDir, name));
    measure.tick();
  }
} else {
  const pending = new Set();
  for await (const item of readJsonLines(values.items)) {
    const name = item.files.file_name_original;
    const work = Promise.all([
      writeFile(join(jsonDir, `${stemOf(name)}.json`), JSON.stringify(item.data, null, 4)),
      values.originals ? copyFile(join(base, item.files.path), join(originDir, name)) : undefined,
    ]).then(() => pending.delete(work));
    pending.add(work);
    measure.tick();
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
}
measure.finish();

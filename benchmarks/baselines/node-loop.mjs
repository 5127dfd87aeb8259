// The naive Node exporters: `--in-flight 1` is a sequential loop of writeFileSync + copyFileSync;
// `--in-flight N` keeps N items in flight with fs/promises writeFile + copyFile (no pipeline).
// usage: node-loop.mjs --items F --out DIR --count N [--originals] [--in-flight 1]
import { copyFile, writeFile } from 'node:fs/promises';
import { startBaseline } from '../lib/baseline.mjs';
import { readJsonLines } from '../lib/measure.mjs';

const { values, measure, jsonPath, originalPaths, runSequential } = startBaseline({ 'in-flight': { type: 'string', default: '1' } });
const inFlight = Number(values['in-flight']);

if (inFlight === 1) {
  await runSequential();
} else {
  const pending = new Set();
  for await (const item of readJsonLines(values.items)) {
    const work = Promise.all([
      writeFile(jsonPath(item), JSON.stringify(item.data, null, 4)),
      values.originals ? copyFile(...originalPaths(item)) : undefined,
    ]).then(() => pending.delete(work));
    pending.add(work);
    measure.tick();
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
}
measure.finish();

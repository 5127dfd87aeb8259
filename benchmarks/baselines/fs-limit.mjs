// The machine's limit for the same file operations: raw `fs` calls, no pipeline, no hashing, no
// manifest. The harness runs each strategy and keeps the best as "limit".
//   --strategy sync      writeFileSync + copyFileSync on the main thread
//   --strategy cb:N      callback fs.writeFile + fs.copyFile with N operations in flight
// usage: fs-limit.mjs --items F --out DIR --count N [--originals] --strategy sync|cb:N
import { copyFile, writeFile } from 'node:fs';
import { startBaseline } from '../lib/baseline.mjs';
import { readJsonLines } from '../lib/measure.mjs';

const { values, measure, jsonPath, originalPaths, runSequential } = startBaseline({ strategy: { type: 'string', default: 'sync' } });

if (values.strategy === 'sync') {
  await runSequential();
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
    running += 1;
    writeFile(jsonPath(item), JSON.stringify(item.data, null, 4), done);
    if (values.originals) { running += 1; copyFile(...originalPaths(item), done); }
    measure.tick();
    if (running >= limit) await new Promise((r) => { wake = r; });
  }
  while (running > 0) await new Promise((r) => { wake = r; });
}
measure.finish({ strategy: values.strategy });

import { setFlagsFromString } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

/**
 * V8's heap growing factor while an export runs, as `--heap-growing-percent`: 2×. An export
 * allocates fast and keeps little (8–20 MB live after a full collection), so V8 picks factors up
 * to 4 and its heap reached 100 MB before collecting; at 2× a 100k JSON export peaked at
 * 125–134 MB RSS instead of 145–161 MB, at the same speed; JSON + originals, where both cores
 * are busy, ran about 2 % slower on average (README, "Performance").
 */
const GROWING_PERCENT = 100;

/** V8's own, dynamic factor. */
const DYNAMIC = 0;

/** Exports running on this thread that hold the bound. */
let holders = 0;

/**
 * Bounds V8's heap growth until the returned function is called; with several exports at once,
 * until the last one ends. The flag is process-wide, so this does nothing on a worker thread
 * (the thread that started it owns the process), nor when the process was started with
 * `--heap-growing-percent`: the user's choice stands.
 */
export function boundHeapGrowth(): () => void {
  if (!isMainThread || chosenAtStart()) return () => undefined;
  if (holders === 0) setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT}`);
  holders += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0) setFlagsFromString(`--heap-growing-percent=${DYNAMIC}`);
  };
}

function chosenAtStart(): boolean {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes('heap-growing-percent'));
}

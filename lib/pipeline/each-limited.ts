import { positiveInteger } from '../validate.js';

/**
 * Runs `task` on every value with at most `concurrency` running, taking the next value only when
 * one finishes: a million values are never held at once. The first failure stops the taking; the
 * tasks still running are waited for, then it is thrown.
 */
export async function eachLimited<T>(values: AsyncIterable<T> | Iterable<T>, concurrency: number, task: (value: T) => Promise<void>): Promise<void> {
  positiveInteger(concurrency, 'concurrency');
  const running = new Set<Promise<void>>();
  const failed: { error?: unknown } = {};
  for await (const value of values) {
    const run: Promise<void> = task(value)
      .catch((error: unknown) => {
        failed.error ??= error;
      })
      .finally(() => running.delete(run));
    running.add(run);
    if (running.size >= concurrency) await Promise.race(running);
    if ('error' in failed) break;
  }
  await Promise.all(running);
  if ('error' in failed) throw failed.error;
}

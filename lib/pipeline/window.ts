import { Transform } from 'node:stream';
import { positiveInteger } from '../validate.js';
import type { ExportRecord } from '../types.js';

export interface WindowOptions {
  /** Records being worked on at once. Default 16. */
  window?: number;
}

/** A window Transform that also tells how full it has been (for tests and benchmarks). */
export interface WindowStream extends Transform {
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Resolves once no work is in flight: after a stop, lets the caller wait for started work. */
  idle(): Promise<void>;
}

/**
 * Runs `work` on up to `window` pending records at once and emits each record when its work is
 * done (completion order). Intake stops while the window is full, so a slow `work` slows the
 * source: this is the backpressure that keeps memory flat. Settled records pass straight through.
 * `work` is expected to record per-item failures on the record; a rejection fails the stream.
 */
export function windowed<T>(
  work: (record: ExportRecord<T>) => Promise<void>,
  options: WindowOptions = {},
): WindowStream {
  const size = positiveInteger(options.window ?? 16, 'window');
  let inFlight = 0;
  let maxInFlight = 0;
  let waiting: (() => void) | null = null;
  let flushing: (() => void) | null = null;
  let idleWaiters: Array<() => void> = [];

  const done = (): void => {
    inFlight -= 1;
    if (inFlight === 0) {
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    }
    if (waiting !== null) {
      const callback = waiting;
      waiting = null;
      callback();
    }
    if (flushing !== null && inFlight === 0) {
      const callback = flushing;
      flushing = null;
      callback();
    }
  };

  const stream = new Transform({
    objectMode: true,
    highWaterMark: size,
    transform(record: ExportRecord<T>, _encoding, callback) {
      if (record.status !== 'pending') {
        callback(null, record);
        return;
      }
      inFlight += 1;
      if (inFlight > maxInFlight) maxInFlight = inFlight;
      work(record).then(
        () => {
          stream.push(record);
          done();
        },
        (error: unknown) => {
          done();
          stream.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
      if (inFlight < size) callback();
      else waiting = callback;
    },
    flush(callback) {
      if (inFlight === 0) callback();
      else flushing = callback;
    },
  }) as WindowStream;

  Object.defineProperties(stream, {
    inFlight: { get: () => inFlight },
    maxInFlight: { get: () => maxInFlight },
    idle: { value: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))) },
  });
  return stream;
}

import { Transform } from 'node:stream';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { positiveInteger } from '../validate.js';
import type { ExportItem, ExportRecord, MaybePromise } from '../types.js';

/**
 * A hook as stages run it: gets the item and its record, returns the next item, or
 * `null`/`undefined` to skip the item. A throw fails only this item.
 */
export type StageHook<TIn = ExportItem, TOut = ExportItem> = (
  item: TIn,
  record: ExportRecord<TIn>,
) => MaybePromise<TOut | null | undefined>;

export interface StageOptions {
  /** Names the step in failures (`convertData: …`). */
  name: string;
  /** Items the hook may work on at once. Output order is kept whatever this is. Default 1. */
  concurrency?: number;
  /** Settled records waiting to be read downstream. Default 16. */
  highWaterMark?: number;
}

interface Slot {
  record: ExportRecord<unknown>;
  done: boolean;
}

/**
 * Wraps one hook as an object-mode Transform over records. Settled records (failed, skipped)
 * pass through untouched, in order. With `concurrency > 1` the hook runs on up to that many items
 * at once and results still leave in arrival order: the window counts finished-but-waiting
 * records too, so a slow head item holds back intake instead of letting the queue grow.
 */
export function stage<TIn = ExportItem, TOut = ExportItem>(
  hook: StageHook<TIn, TOut>,
  options: StageOptions,
): Transform {
  const concurrency = positiveInteger(options.concurrency ?? 1, 'concurrency');
  const slots: Slot[] = [];
  let head = 0;
  let waiting: (() => void) | null = null;
  let flushing: (() => void) | null = null;

  const settle = (record: ExportRecord<unknown>, result: unknown): void => {
    if (result === null || result === undefined) {
      record.status = 'skipped';
      record.item = null;
    } else {
      record.item = result;
    }
  };
  const fail = (record: ExportRecord<unknown>, error: unknown): void => {
    record.status = 'failed';
    record.failure = {
      code: error instanceof ExportError ? error.code : ErrorCode.HOOK_FAILED,
      message: messageOf(error),
      step: options.name,
    };
  };

  const transform = new Transform({
    objectMode: true,
    highWaterMark: options.highWaterMark ?? 16,
    transform(record: ExportRecord<unknown>, _encoding, callback) {
      if (record.status !== 'pending') {
        slots.push({ record, done: true });
      } else {
        const slot: Slot = { record, done: false };
        slots.push(slot);
        let result: unknown;
        try {
          result = hook(record.item as TIn, record as ExportRecord<TIn>);
        } catch (error) {
          fail(record, error);
          slot.done = true;
        }
        if (!slot.done) {
          if (isPromiseLike(result)) {
            result.then(
              (value) => {
                settle(record, value);
                slot.done = true;
                drain();
              },
              (error: unknown) => {
                fail(record, error);
                slot.done = true;
                drain();
              },
            );
          } else {
            settle(record, result);
            slot.done = true;
          }
        }
      }
      drain();
      if (slots.length - head < concurrency) callback();
      else waiting = callback;
    },
    flush(callback) {
      if (slots.length === head) callback();
      else flushing = callback;
    },
  });

  function drain(): void {
    while (head < slots.length && slots[head]!.done) {
      transform.push(slots[head]!.record);
      head += 1;
    }
    if (head === slots.length) {
      slots.length = 0;
      head = 0;
    }
    if (waiting !== null && slots.length - head < concurrency) {
      const callback = waiting;
      waiting = null;
      callback();
    }
    if (flushing !== null && slots.length === head) {
      const callback = flushing;
      flushing = null;
      callback();
    }
  }

  return transform;
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

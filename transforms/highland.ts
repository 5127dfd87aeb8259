/**
 * `synapse-export/highland`: highland streams as stages of an export, and an export's stream as a
 * highland stream. Node streams stay the core; this adapter only converts at the edges, pulling
 * on both sides so a slow consumer slows the source (backpressure preserved).
 */
import _ from 'highland';
import { Duplex, PassThrough, Readable } from 'node:stream';
import type { ExportRecord } from '../lib/types.js';

/** A highland transform: a function of a highland stream, or a highland pipeline (`_.pipeline(…)`). */
export type HighlandThrough<In = ExportRecord, Out = ExportRecord> = ((source: Highland.Stream<In>) => Highland.Stream<Out>) | NodeJS.ReadWriteStream;

export interface HighlandStageOptions {
  /** Records buffered on each side of the highland part. Default 16. */
  highWaterMark?: number;
}

/**
 * A highland function or pipeline as an object-mode Duplex, usable wherever a stage goes:
 * `pipeline(records, highlandStage((s) => s.filter(keep)), writer)`. It sees export records
 * (`{index, id, item, status}`); records that are already failed or skipped should be passed on.
 */
export function highlandStage<In = ExportRecord, Out = ExportRecord>(through: HighlandThrough<In, Out>, options: HighlandStageOptions = {}): Duplex {
  const highWaterMark = options.highWaterMark ?? 16;
  const input = new PassThrough({ objectMode: true, highWaterMark });
  const source = _<In>(input);
  const transformed = typeof through === 'function' ? source.through(through) : (source.through(through) as Highland.Stream<Out>);
  const output = toNodeReadable(transformed, highWaterMark);
  return Duplex.from({ writable: input, readable: output });
}

/** An export's record stream (or any object-mode Readable) as a highland stream. */
export function toHighland<T = ExportRecord>(stream: Readable): Highland.Stream<T> {
  return _<T>(stream);
}

/** A highland stream as an object-mode Node Readable that pulls only as it is read. */
export function toNodeReadable<T>(stream: Highland.Stream<T>, highWaterMark = 16): Readable {
  return new Readable({ objectMode: true, highWaterMark }).wrap(stream as unknown as NodeJS.ReadableStream);
}

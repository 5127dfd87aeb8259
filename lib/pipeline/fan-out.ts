import { messageOf } from '../errors.js';
import type { ExportItem, ExportRecord, ExportStatus } from '../types.js';
import { windowed, type WindowOptions, type WindowStream } from './window.js';

/**
 * Something that takes every record: the JSON data files, the original files, an archive, a
 * format writer. `write` resolves with the record's status for this sink; a per-item problem is a
 * `failed` status (recorded by the sink), never a rejection. A rejection means the sink itself is
 * broken and stops the export.
 */
export interface Sink<T = ExportItem> {
  /** Names the sink in outcomes and metrics (`data_file`, `original_file`…). */
  readonly name: string;
  write(record: ExportRecord<T>): Promise<ExportStatus>;
  /** Called once after the last record, before the export's flush. */
  close?(): Promise<void>;
}

/**
 * Writes one record to every sink at once; the record is `failed` if any sink failed it and
 * `success` otherwise. The sinks' own statuses are kept in `record.outcomes`.
 */
export async function writeToSinks<T>(sinks: readonly Sink<T>[], record: ExportRecord<T>): Promise<void> {
  const statuses = await Promise.all(sinks.map((sink) => sink.write(record)));
  const outcomes: Record<string, ExportStatus> = {};
  sinks.forEach((sink, i) => {
    outcomes[sink.name] = statuses[i]!;
  });
  record.outcomes = outcomes;
  record.status = statuses.includes('failed') ? 'failed' : 'success';
}

/**
 * Sends each record to every sink and emits it once all are done, with at most `window` records
 * in flight (see `windowed`). Emits in completion order.
 */
export function fanOut<T = ExportItem>(sinks: readonly Sink<T>[], options: WindowOptions = {}): WindowStream {
  return windowed<T>((record) => writeToSinks(sinks, record), options);
}

/** Closes every sink, reporting the first failure after all have had their chance. */
export async function closeSinks(sinks: readonly Sink<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(sinks.map((sink) => sink.close?.()));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason instanceof Error ? failure.reason : new Error(messageOf(failure.reason));
}

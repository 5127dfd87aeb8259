import { toRecords as engineRecords } from '../exporter/to-records.js';
import { ExportRun } from '../run/export-run.js';
import type { ExportRecord } from '../types.js';

/**
 * Items as the records stages work on, for your own `stream.pipeline`: the engine's conversion
 * (unreadable or invalid entries become failed records naming the entry), reporting to `run`.
 */
export function toRecords(entries: AsyncIterable<unknown> | Iterable<unknown>, run: ExportRun = new ExportRun()): AsyncGenerator<ExportRecord> {
  return engineRecords(entries, run);
}

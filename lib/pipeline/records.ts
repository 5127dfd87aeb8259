import { ErrorCode } from '../errors.js';
import { SourceFailure } from '../sources/source-failure.js';
import type { ExportItem, ExportRecord } from '../types.js';

/** Turns what a source yields into records; unreadable entries become failed records. */
export async function* toRecords(entries: AsyncIterable<unknown> | Iterable<unknown>, onFirst: () => void = () => undefined): AsyncGenerator<ExportRecord> {
  let index = 0;
  for await (const entry of entries) {
    index += 1;
    if (index === 1) onFirst();
    if (entry instanceof SourceFailure) {
      yield failed(index, undefined, ErrorCode.SOURCE_PARSE, `${entry.location}: ${entry.message}`, 'source');
    } else if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      yield failed(index, undefined, ErrorCode.ITEM_INVALID, `item ${index} is not an object`, 'source');
    } else {
      const id = (entry as { id?: unknown }).id;
      if (typeof id !== 'string' && typeof id !== 'number') {
        yield failed(index, undefined, ErrorCode.ITEM_INVALID, `item ${index} has no id (a string or number)`, 'source');
      } else {
        yield { index, id, item: entry as ExportItem, status: 'pending' };
      }
    }
  }
}

function failed(index: number, id: ExportRecord['id'], code: string, message: string, step: string): ExportRecord {
  return { index, id, item: null, status: 'failed', failure: { code, message, step } };
}


import { ItemIdSet } from '../item-id-set.js';
import { ErrorCode } from '../errors.js';
import { ExportRun } from '../run/export-run.js';
import { SourceFailure } from '../sources/source-failure.js';
import type { ExportItem, ExportRecord } from '../types.js';

/**
 * Turns what a source yields into records. Entries that are not export items (unreadable, not an
 * object, no usable id, `files` not an object) become failed records that name the entry, so they
 * reach the error list and the counts instead of stopping the export. A repeated id is reported
 * but the item is still exported (under its own collision-free name): the id registry is hashed,
 * and a hash collision must never cost an item.
 */
export async function* toRecords(entries: AsyncIterable<unknown> | Iterable<unknown>, run: ExportRun = new ExportRun(), firstIndex = 0): AsyncGenerator<ExportRecord> {
  const seenIds = new ItemIdSet();
  let index = firstIndex;
  for await (const entry of entries) {
    index += 1;
    if (index === firstIndex + 1) run.logMessage('Converting dataset.');
    const problem = entry instanceof SourceFailure ? `${entry.location}: ${entry.message}` : itemProblem(entry, index);
    if (problem === undefined) {
      const item = entry as ExportItem;
      if (!seenIds.add(item.id)) {
        run.logItemMessage(item.id, `id ${String(item.id)} appears more than once (item ${index})`);
      }
      yield { index, id: item.id, item, status: 'pending' };
    } else {
      const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
      const code = entry instanceof SourceFailure ? ErrorCode.SOURCE_PARSE : ErrorCode.ITEM_INVALID;
      yield failed(index, typeof id === 'string' || typeof id === 'number' ? id : undefined, code, problem, 'source');
    }
  }
}

/** Why an entry is not an export item, or undefined when it is one. */
function itemProblem(entry: unknown, index: number): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `item ${index} is not an object`;
  const { id, files } = entry as { id?: unknown; files?: unknown };
  if ((typeof id !== 'string' || id === '') && (typeof id !== 'number' || !Number.isFinite(id))) {
    return `item ${index} has no id (a non-empty string or a number)`;
  }
  if (files !== undefined && (typeof files !== 'object' || files === null || Array.isArray(files))) {
    return `item ${index} (id ${String(id)}): files must be an object`;
  }
  return undefined;
}

function failed(index: number, id: ExportRecord['id'], code: string, message: string, step: string): ExportRecord {
  return { index, id, item: null, status: 'failed', failure: { code, message, step } };
}


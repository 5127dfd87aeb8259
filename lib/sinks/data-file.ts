import type { ExportContext, NamedRecord } from '../exporter/context.js';
import { messageOf } from '../errors.js';
import { LogCode } from '../run/log-codes.js';
import type { ExportItem, ExportStatus } from '../types.js';
import { itemFailureMessage } from './fatal-write-error.js';

/** Folder of the JSON data files inside an export. */
export const JSON_DIRECTORY = 'json';

/**
 * Writes an item's `data` to `json/<stem>.json` exactly as the reference does (4-space indent,
 * UTF-8, non-ASCII kept). `data: null` fails the file with `data is Null` and the
 * `NULL_DATA_DETECTED` event. Every outcome is logged as an `export_data_file` event and failures
 * go to the error list; nothing is thrown for a per-item problem, only for a full disk or a
 * vanished export directory, which stop the export.
 */
export async function saveDataFile(record: NamedRecord<ExportItem>, ctx: ExportContext): Promise<ExportStatus> {
  const fileName = record.names.jsonFileName;
  const data = record.item.data;
  let error: string | undefined;
  if (data === null || data === undefined) {
    error = 'data is Null';
    ctx.run.logExportEvent(LogCode.NULL_DATA_DETECTED, record.id);
  } else {
    let text: string | undefined;
    try {
      // Compact here; laid out with the 4-space indent where it is written (ExportOutput.writeJson).
      text = JSON.stringify(data);
    } catch (caught) {
      // Cycles, BigInts, or nesting deeper than the stack: the item's data, not the disk.
      error = `cannot serialise data as JSON: ${messageOf(caught)}`;
    }
    if (text !== undefined) {
      try {
        await ctx.output.writeJson(`${JSON_DIRECTORY}/${fileName}`, text, 4);
      } catch (caught) {
        error = await itemFailureMessage(caught, ctx.uniqueExportPath, ctx.output.resumable);
      }
    }
  }
  if (error !== undefined) ctx.errors.addJson(fileName, error);
  const status: ExportStatus = error === undefined ? 'success' : 'failed';
  ctx.run.exportLogJsonFile(record.id, { file_name: fileName }, status, error ?? '');
  return status;
}

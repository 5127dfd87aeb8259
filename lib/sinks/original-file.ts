import { resolve } from 'node:path';
import type { ExportContext, NamedRecord } from '../exporter/context.js';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import type { ExportItem, ExportStatus } from '../types.js';
import { itemFailureMessage } from './fatal-write-error.js';

/** Folder of the original media inside an export. */
export const ORIGIN_DIRECTORY = 'origin_files';

/** What saving an original needs from the export: a format writer can give just this. */
export type OriginalSaveContext = Pick<
  ExportContext,
  'output' | 'run' | 'errors' | 'baseDirectory' | 'download' | 'limitDownloads' | 'signal' | 'uniqueExportPath' | 'mediaMode'
>;

/**
 * Saves an item's original media to `origin_files/<name>` (or `target`): a local `path` is copied, an
 * `http(s)` `url` is downloaded (streamed, retried, bounded by the export's download limit).
 * Outcomes are logged as `export_original_file` events and failures go to the error list; a full
 * disk or a vanished export directory rejects instead, stopping the export.
 */
export async function saveOriginal(
  record: NamedRecord<ExportItem>,
  ctx: OriginalSaveContext,
  target = `${ORIGIN_DIRECTORY}/${record.names.originalFileName}`,
): Promise<ExportStatus> {
  const fileName = record.names.originalFileName;
  const files = record.item.files ?? {};
  let error: string | undefined;
  try {
    if (typeof files.path === 'string' && files.path !== '') {
      await copyLocal(resolve(ctx.baseDirectory, files.path), files.path, target, ctx);
    } else if (typeof files.url === 'string' && files.url !== '') {
      const url = files.url;
      await ctx.limitDownloads(() => ctx.output.download(url, target, { ...ctx.download, signal: ctx.signal }));
    } else {
      throw new ExportError('the item has no files.path or files.url to take the original from', {
        code: ErrorCode.FILE_UNRESOLVED,
        itemId: record.id,
      });
    }
  } catch (caught) {
    error = await itemFailureMessage(caught, ctx.uniqueExportPath, ctx.output.resumable);
  }
  if (error !== undefined) ctx.errors.addOrigin(fileName, error);
  const status: ExportStatus = error === undefined ? 'success' : 'failed';
  ctx.run.exportLogOriginalFile(record.id, { file_name: fileName }, status, error ?? '');
  return status;
}

async function copyLocal(source: string, shown: string, target: string, ctx: OriginalSaveContext): Promise<void> {
  try {
    await ctx.output.copyFile(source, target, ctx.mediaMode);
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' && path === source ? 'no such file' : messageOf(error);
    throw new ExportError(`cannot copy original ${shown}: ${reason}`, { code: ErrorCode.FILE_COPY_FAILED, fileName: shown, cause: error });
  }
}

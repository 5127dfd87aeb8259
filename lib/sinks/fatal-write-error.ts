import { stat } from 'node:fs/promises';
import { ErrorCode, ExportError, messageOf } from '../errors.js';

/** Errno codes that mean the disk, not the item, is the problem. */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Tells a failure of the export's own storage (disk full, quota, the export directory removed)
 * from a failure of one item: the first stops the export, since every later item would fail the
 * same way; the journal then lets it resume once the cause is fixed, when the export can be
 * resumed (`resumable`: not an archive, not a training format). Undefined for an item failure.
 */
export async function fatalWriteError(error: unknown, exportDirectory: string, resumable: boolean): Promise<ExportError | undefined> {
  const code = errnoOf(error);
  if (code !== undefined && NO_SPACE.has(code)) {
    const next = resumable ? 'run again with --resume' : 'run the export again';
    return new ExportError(`no space left for the export in ${exportDirectory} (${code}); free some and ${next}`, {
      code: ErrorCode.NO_SPACE,
      fileName: exportDirectory,
      cause: error,
    });
  }
  if (code === 'ENOENT' && !(await stat(exportDirectory).then(() => true, () => false))) {
    return new ExportError(`the export directory ${exportDirectory} was removed while the export ran: ${messageOf(error)}`, {
      code: ErrorCode.OUTPUT_GONE,
      fileName: exportDirectory,
      cause: error,
    });
  }
  return undefined;
}

/** The message to record for an item's failed save; throws instead when the failure is fatal. */
export async function itemFailureMessage(error: unknown, exportDirectory: string, resumable: boolean): Promise<string> {
  const fatal = await fatalWriteError(error, exportDirectory, resumable);
  if (fatal !== undefined) throw fatal;
  return messageOf(error);
}

/** The errno code of an error or of the error it wraps (a download's write failure). */
function errnoOf(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('E') && !code.startsWith('ERR_')) return code;
  }
  return undefined;
}

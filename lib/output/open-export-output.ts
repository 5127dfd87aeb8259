import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { ZipArchive } from '../archive/zip-archive.js';
import { ErrorCode, ExportError } from '../errors.js';
import { reserveExportDirectory } from '../naming/export-directory.js';
import { ExportOutput, WORK_DIRECTORY } from './export-output.js';

/** How an export is archived. */
export interface ArchiveOptions {
  /** `zip`: the folder and `<name>.zip` beside it. `zip-only`: the archive is the export, no loose files. */
  mode: 'zip' | 'zip-only';
  /** Deflate level for JSON and other compressible files, 0 (store all) to 9; media are always stored. Default 3 (`DEFAULT_ZIP_LEVEL`). */
  level?: number;
  /** Split into `<name>.part001.zip`, `<name>.part002.zip`… of at most this many bytes, each a zip by itself. */
  splitSize?: number;
  /** `zip-only`: write the archive to this stream (standard output) instead of a file; it is ended at the end. */
  stream?: Writable;
}

/** Names a finished or unfinished archive of an export called `<name>` may have. */
const ARCHIVE_SUFFIXES = ['.zip', '.zip.partial', '.part001.zip', '.part001.zip.partial'];

/**
 * Reserves the export's unique name under `parent` and opens its output: a folder, a folder with
 * an archive beside it, or (zip-only) an archive with the folder as scratch space only.
 */
export async function openExportOutput(parent: string, name: string, archive?: ArchiveOptions): Promise<{ uniqueExportPath: string; output: ExportOutput }> {
  if (archive === undefined) {
    const uniqueExportPath = await reserveExportDirectory(parent, name);
    return { uniqueExportPath, output: new ExportOutput(uniqueExportPath) };
  }
  if (archive.mode !== 'zip' && archive.mode !== 'zip-only') {
    throw new ExportError(`archive mode must be "zip" or "zip-only", got ${JSON.stringify(archive.mode)}`, { code: ErrorCode.INVALID_OPTION });
  }
  if (archive.stream !== undefined && archive.mode !== 'zip-only') {
    throw new ExportError('an archive written to a stream needs mode "zip-only"', { code: ErrorCode.INVALID_OPTION });
  }
  const uniqueExportPath = await reserveExportDirectory(parent, name, archive.stream === undefined ? ARCHIVE_SUFFIXES : []);
  let zip: ZipArchive;
  try {
    zip = new ZipArchive({
      destination: archive.stream ?? `${uniqueExportPath}.zip`,
      workDirectory: join(uniqueExportPath, WORK_DIRECTORY),
      ...(archive.level === undefined ? {} : { level: archive.level }),
      ...(archive.splitSize === undefined ? {} : { splitSize: archive.splitSize }),
    });
  } catch (error) {
    await rmdir(uniqueExportPath);
    throw error;
  }
  return { uniqueExportPath, output: new ExportOutput(uniqueExportPath, { archive: zip, looseFiles: archive.mode === 'zip' }) };
}

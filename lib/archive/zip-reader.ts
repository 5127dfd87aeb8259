import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { ErrorCode, ExportError, messageOf } from '../errors.js';

/** One entry of a zip being read: its name, its declared size and a way to read its content. */
export interface ZipEntryReader {
  name: string;
  size: number;
  /** The uncompressed content; errors when the data does not match its declared size. */
  open(): Promise<Readable>;
}

/**
 * The entries of a zip file in central-directory order, read with yauzl (an independent reader:
 * ZIP64 aware, checks entry sizes). Rejects with ARCHIVE_INVALID naming the file when it is not a
 * readable zip (truncated, corrupt directory…).
 */
export async function* readZipEntries(path: string): AsyncGenerator<ZipEntryReader> {
  const invalid = (error: unknown): ExportError =>
    new ExportError(`${path} is not a readable zip archive: ${messageOf(error)}`, { code: ErrorCode.ARCHIVE_INVALID, fileName: path, cause: error });
  // Loaded on first use: only verify and resume read zips, and yauzl costs about 9 MB of RSS.
  const { default: reader } = await import('yauzl');
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    reader.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true }, (error, file) => (error ? reject(invalid(error)) : resolve(file)));
  });
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (found: yauzl.Entry): void => {
          zip.off('end', onEnd).off('error', onError);
          resolve(found);
        };
        const onEnd = (): void => {
          zip.off('entry', onEntry).off('error', onError);
          resolve(null);
        };
        const onError = (error: Error): void => {
          zip.off('entry', onEntry).off('end', onEnd);
          reject(invalid(error));
        };
        zip.once('entry', onEntry).once('end', onEnd).once('error', onError);
        zip.readEntry();
      });
      if (entry === null) return;
      if (entry.fileName.endsWith('/')) continue;
      yield {
        name: entry.fileName,
        size: entry.uncompressedSize,
        open: () =>
          new Promise<Readable>((resolve, reject) => {
            zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
          }),
      };
    }
  } finally {
    zip.close();
  }
}

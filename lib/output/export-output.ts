import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { ErrorCode, ExportError } from '../errors.js';
import { downloadToFile, type DownloadOptions } from '../sinks/download.js';
import { copyFileHashed, writeChunksHashed, writeFileHashed, type WrittenFile } from './file-ops.js';
import { Spool } from './spool.js';

/** One file of the export as the manifest lists it. */
export interface ManifestFileEntry {
  /** Relative to the export directory, `/`-separated. */
  path: string;
  size: number;
  sha256: string;
}

/** Where spools keep what does not fit in memory; removed when the export ends. */
export const WORK_DIRECTORY = '.synapse-export-work';

/**
 * The export directory as exporters write to it. Everything written through it lands inside the
 * directory (other paths are refused) and is recorded, with size and sha256, for the manifest.
 * Exporters that write with raw `fs` calls still work, but their files are not in the manifest.
 */
export class ExportOutput {
  private readonly files: Spool<ManifestFileEntry>;
  /** Set on views made by `observe`: hears of every file recorded through the view. */
  private readonly onFile?: (entry: ManifestFileEntry) => void;

  constructor(readonly root: string) {
    this.files = new Spool<ManifestFileEntry>(this.workPath('manifest-files.jsonl'));
  }

  /** The absolute path of `relativePath`, refusing any path that leaves the export directory. */
  resolve(relativePath: string): string {
    const cleaned = normalize(relativePath);
    if (isAbsolute(relativePath) || cleaned === '..' || cleaned.startsWith(`..${sep}`) || cleaned.includes('\0')) {
      throw new ExportError(`Refusing to write outside the export directory: ${JSON.stringify(relativePath)}`, {
        code: ErrorCode.PATH_OUTSIDE_EXPORT,
        fileName: relativePath,
      });
    }
    return join(this.root, cleaned);
  }

  async mkdir(relativePath: string): Promise<string> {
    const path = this.resolve(relativePath);
    await mkdir(path, { recursive: true });
    return path;
  }

  async writeFile(relativePath: string, data: string | Uint8Array): Promise<WrittenFile> {
    return this.record(relativePath, await writeFileHashed(this.resolve(relativePath), data));
  }

  /** Writes a file from chunks as they are produced, never holding it whole. */
  async writeChunks(relativePath: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<WrittenFile> {
    return this.record(relativePath, await writeChunksHashed(this.resolve(relativePath), chunks));
  }

  async copyFile(source: string, relativePath: string): Promise<WrittenFile> {
    return this.record(relativePath, await copyFileHashed(source, this.resolve(relativePath)));
  }

  async download(url: string, relativePath: string, options?: DownloadOptions): Promise<WrittenFile> {
    return this.record(relativePath, await downloadToFile(url, this.resolve(relativePath), options));
  }

  /** Adds a file written by other means to the manifest. */
  record(relativePath: string, file: WrittenFile): WrittenFile {
    const entry: ManifestFileEntry = { path: relativePath.split(sep).join('/'), size: file.size, sha256: file.sha256 };
    this.files.append(entry);
    this.onFile?.(entry);
    return file;
  }

  /**
   * A view of this output that also tells `onFile` of each file recorded through it: how one
   * item's save learns which files it wrote, for the journal. Everything else is shared.
   */
  observe(onFile: (entry: ManifestFileEntry) => void): ExportOutput {
    return Object.create(this, { onFile: { value: onFile } }) as ExportOutput;
  }

  /** Files recorded so far, sorted by path (so the manifest does not depend on timing). Call once, at the end. */
  recordedFiles(): AsyncGenerator<ManifestFileEntry> {
    return this.files.sorted((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  get recordedCount(): number {
    return this.files.size;
  }

  /** Where a spool of this export keeps what it spills; the folder goes away in `dispose`. */
  workPath(name: string): string {
    return join(this.root, WORK_DIRECTORY, name);
  }

  /** Removes the work folder and spools; the export's own files stay. */
  async dispose(): Promise<void> {
    await this.files.dispose();
    await rm(join(this.root, WORK_DIRECTORY), { recursive: true, force: true });
  }
}

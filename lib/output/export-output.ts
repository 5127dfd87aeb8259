import { mkdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { ArchivedEntry, ZipArchive } from '../archive/zip-archive.js';
import { ErrorCode, ExportError } from '../errors.js';
import { downloadToFile, type DownloadOptions } from '../sinks/download.js';
import { walkTree } from '../walk-tree.js';
import { copyFileHashed, writeChunksHashed, writeFileHashed, type WrittenFile } from './file-ops.js';
import type { MediaMode } from './fs-worker-pool.js';
import { moveInto } from './move-into.js';
import { Spool } from './spool.js';

/** One file of the export as the manifest lists it. */
export interface ManifestFileEntry {
  /** Relative to the export directory, `/`-separated. */
  path: string;
  size: number;
  sha256: string;
  /** The archive part holding the file, when the archive is split. */
  part?: string;
}

export interface ExportOutputOptions {
  /** Adds every file to this archive as soon as it is written. */
  archive?: ZipArchive;
  /**
   * Keep the files in the export directory (default true). False with an archive: the archive is
   * the export, and the directory is only scratch space for files written with raw `fs` calls,
   * each moved into the archive (and deleted) when it is recorded.
   */
  looseFiles?: boolean;
}

/** Where spools keep what does not fit in memory; removed when the export ends. */
export const WORK_DIRECTORY = '.synapse-export-work';

/** Where a staged export's files are written before they are published under their final names. */
export const STAGING_DIRECTORY = '.synapse-export-staging';

/**
 * The export as exporters write to it: a directory, a zip archive beside it, or the archive
 * alone. Everything written through it lands inside the export (other paths are refused) and is
 * recorded, with size and sha256, for the manifest. Exporters that write with raw `fs` calls
 * still work in a folder export, but their files are in the manifest and the archive only once
 * passed to `record`.
 */
export class ExportOutput {
  private readonly files: Spool<ManifestFileEntry>;
  /** Set on views made by `observe`: hears of every file recorded through the view. */
  private readonly onFile?: (entry: ManifestFileEntry) => void;
  private readonly archive: ZipArchive | undefined;
  private readonly looseFiles: boolean;
  /** Files `record` is moving into the archive; `complete` waits for them. */
  private readonly pending = new Set<Promise<unknown>>();
  /** The first failure of a background move; an object, so views made by `observe` share it. */
  private readonly pendingFailure: { error?: unknown } = {};
  /** Whether files are being written in the staging folder (see `beginStaging`); shared with views. */
  private readonly staging = { active: false };
  private readonly stagingRoot: string;

  constructor(
    readonly root: string,
    options: ExportOutputOptions = {},
  ) {
    this.files = new Spool<ManifestFileEntry>(this.workPath('manifest-files.jsonl'), { compare: (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) });
    this.archive = options.archive;
    this.looseFiles = options.archive === undefined || options.looseFiles !== false;
    this.stagingRoot = join(root, STAGING_DIRECTORY);
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
    return join(this.staging.active ? this.stagingRoot : this.root, cleaned);
  }

  /**
   * From now until `publish`, files are written under their own names in a staging folder inside
   * the export, and `resolve` points there: a crash leaves nothing truncated under a final name,
   * and no file pays for a temporary name and a rename of its own (in folders of 100,000 files
   * that rename cost 20 % of the export's time). The folders the export already has (made by
   * `setupOutputDirectories`) are made in staging too, and stay where they are, so files written
   * into them directly still land in the export. Files already under their final names (a resumed
   * export's) stay there; a staged file of the same name replaces one when published.
   */
  async beginStaging(): Promise<void> {
    if (!this.looseFiles) return;
    await mkdir(this.stagingRoot, { recursive: true });
    for await (const entry of walkTree(this.root, (path) => path === STAGING_DIRECTORY || path === WORK_DIRECTORY)) {
      if (entry.directory) await mkdir(join(this.stagingRoot, entry.path), { recursive: true });
    }
    this.staging.active = true;
  }

  /**
   * Moves the staged files under their final names (a folder at a time) once every write has
   * ended; later writes go through a temporary name of their own again.
   */
  async publish(): Promise<void> {
    if (!this.staging.active) return;
    await this.settlePending();
    await moveInto(this.stagingRoot, this.root);
    this.staging.active = false;
  }

  async mkdir(relativePath: string): Promise<string> {
    const path = this.resolve(relativePath);
    await mkdir(path, { recursive: true });
    return path;
  }

  async writeFile(relativePath: string, data: string | Uint8Array): Promise<WrittenFile> {
    return this.write(relativePath, data);
  }

  /**
   * Writes `compactJson` (`JSON.stringify(value)`) laid out as `JSON.stringify(value, null, indent)`
   * would, byte for byte. The layout is done by the file worker that writes the file, off this
   * thread, which then only stringifies without indent and hands over a text a third as long.
   */
  async writeJson(relativePath: string, compactJson: string, indent: number): Promise<WrittenFile> {
    return this.write(relativePath, compactJson, indent);
  }

  private async write(relativePath: string, data: string | Uint8Array, jsonIndent?: number): Promise<WrittenFile> {
    const path = this.resolve(relativePath);
    const name = entryName(relativePath);
    if (this.archive === undefined) return this.note(name, await writeFileHashed(path, data, this.staging.active, jsonIndent));
    if (this.looseFiles) await writeFileHashed(path, data, this.staging.active, jsonIndent);
    return this.note(name, await this.archive.addBuffer(name, data, jsonIndent));
  }

  /** Writes a file from chunks as they are produced, never holding it whole. */
  async writeChunks(relativePath: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<WrittenFile> {
    const path = this.resolve(relativePath);
    if (this.archive !== undefined && !this.looseFiles) {
      const name = entryName(relativePath);
      return this.note(name, await this.archive.addStream(name, chunks));
    }
    return this.archived(relativePath, await writeChunksHashed(path, chunks, this.staging.active));
  }

  /** Copies `source` into the export, or links it there (`mode`, for local sources the export may share). */
  async copyFile(source: string, relativePath: string, mode: MediaMode = 'copy'): Promise<WrittenFile> {
    const path = this.resolve(relativePath);
    if (mode === 'copy' && this.archive !== undefined && !this.looseFiles) {
      const name = entryName(relativePath);
      return this.note(name, await this.archive.addFile(name, source));
    }
    return this.archived(relativePath, await copyFileHashed(source, path, mode, this.staging.active));
  }

  /**
   * Downloads into the export. With the archive alone the body still lands in the scratch folder
   * first (one file per running download, deleted once archived): retries and the length check
   * need a body that can be thrown away, which bytes already in the zip cannot be.
   */
  async download(url: string, relativePath: string, options?: DownloadOptions): Promise<WrittenFile> {
    return this.archived(relativePath, await downloadToFile(url, this.resolve(relativePath), options));
  }

  /**
   * Adds a file written by other means (at `resolve(relativePath)`, or while staging in the
   * export's own folders) to the manifest and, when there is an archive, to the archive; that
   * happens in the background and `complete` waits for it.
   */
  record(relativePath: string, file: WrittenFile): WrittenFile {
    if (this.archive === undefined) return this.note(entryName(relativePath), file);
    const moving = this.locate(relativePath).then(({ path }) => this.archived(relativePath, file, path)).catch((error: unknown) => {
      this.pendingFailure.error ??= error;
    });
    this.pending.add(moving);
    void moving.finally(() => this.pending.delete(moving));
    return file;
  }

  /**
   * Writes the export's last file (the manifest) from chunks as they are made: in the folder,
   * under its name only once whole, and with `archived`, as the archive's last entry too. When
   * only the archive is kept, the chunks go straight into it, deflated while the next are made:
   * written to a file and read back, the manifest of a 100k-item zip-only export took 0.9 s at
   * its end, against 0.55 s now (one profiled run each).
   */
  async writeLast(relativePath: string, chunks: AsyncIterable<string>, archived: boolean): Promise<void> {
    const name = entryName(relativePath);
    const archive = archived ? this.archive : undefined;
    if (archive !== undefined && !this.looseFiles) {
      await archive.addStream(name, chunks);
      return;
    }
    const path = this.resolve(relativePath);
    await writeChunksHashed(path, chunks);
    await archive?.addFile(name, path);
  }

  /**
   * Ends the export: waits for files still moving into the archive and completes the archive
   * (its last entry written by `writeLast`) under its final name. Returns the archive's paths
   * (none without an archive).
   */
  async complete(): Promise<string[]> {
    await this.settlePending();
    return this.archive === undefined ? [] : this.archive.finish();
  }

  /** The files `record` handed to the archive, written; the first failure is thrown. */
  async settlePending(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
    if (this.pendingFailure.error !== undefined) throw this.pendingFailure.error;
  }

  /** A file now on disk at `resolve(relativePath)`: into the archive (and off the disk when only the archive is kept). */
  private async archived(relativePath: string, file: WrittenFile, path = this.resolve(relativePath)): Promise<WrittenFile> {
    const name = entryName(relativePath);
    if (this.archive === undefined) return this.note(name, file);
    const entry = await this.archive.addFile(name, path);
    if (!this.looseFiles) await rm(path, { force: true });
    return this.note(name, { ...file, part: entry.part });
  }

  /**
   * Where the file `relativePath` is, and its size (undefined when there is no such file): at
   * `resolve(relativePath)`, or while staging, when nothing is staged under its name, under its
   * final name (written there directly, or by an earlier run).
   */
  async locate(relativePath: string): Promise<{ path: string; size: number | undefined }> {
    const sizeOf = (path: string): Promise<number | undefined> =>
      stat(path).then(
        (s) => s.size,
        () => undefined,
      );
    const path = this.resolve(relativePath);
    const size = await sizeOf(path);
    if (size !== undefined || !this.staging.active) return { path, size };
    const final = join(this.root, relative(this.stagingRoot, path));
    return { path: final, size: await sizeOf(final) };
  }

  /** Lists the file under `name` (its `entryName`) for the manifest. */
  private note(name: string, file: WrittenFile | ArchivedEntry): WrittenFile {
    const entry: ManifestFileEntry = { path: name, size: file.size, sha256: file.sha256 };
    if ('part' in file && typeof file.part === 'string') entry.part = file.part;
    this.files.append(entry);
    this.onFile?.(entry);
    return { size: file.size, sha256: file.sha256 };
  }

  /**
   * A view of this output that also tells `onFile` of each file recorded through it: how one
   * item's save learns which files it wrote, for the journal. Everything else is shared (which
   * is why no method assigns to a field: on a view that would land on the view alone).
   */
  observe(onFile: (entry: ManifestFileEntry) => void): ExportOutput {
    return Object.create(this, { onFile: { value: onFile } }) as ExportOutput;
  }

  /** Files recorded so far, in batches, sorted by path (so the manifest does not depend on timing). Call once, at the end. */
  recordedFiles(): AsyncGenerator<ManifestFileEntry[]> {
    return this.files.batches();
  }

  /** Whether a stopped export can be continued with `--resume`: not when it writes an archive. */
  get resumable(): boolean {
    return this.archive === undefined;
  }

  /** Whether the export's files stay in its folder: not for an archive-only export, whose folder is removed. */
  get keepsFolder(): boolean {
    return this.looseFiles;
  }

  get recordedCount(): number {
    return this.files.size;
  }

  /** Where a spool of this export keeps what it spills; the folder goes away in `dispose`. */
  workPath(name: string): string {
    return join(this.root, WORK_DIRECTORY, name);
  }

  /**
   * Removes the work folder and spools; the export's own files stay. An archive not completed is
   * removed (its `.partial` files); with the archive alone, the scratch directory goes too.
   */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.pending);
    await this.archive?.abort();
    await this.files.dispose();
    await rm(this.looseFiles ? join(this.root, WORK_DIRECTORY) : this.root, { recursive: true, force: true });
  }
}

/** A manifest path and zip entry name: relative, `/`-separated. */
function entryName(relativePath: string): string {
  return normalize(relativePath).split(sep).join('/');
}

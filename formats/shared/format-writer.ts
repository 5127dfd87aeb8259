import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { ErrorCode, ExportError, messageOf } from '../../lib/errors.js';
import type { NamedRecord } from '../../lib/exporter/context.js';
import { Exporter } from '../../lib/exporter/base-exporter.js';
import { NameAllocator } from '../../lib/naming/name-allocator.js';
import { ErrorList } from '../../lib/output/error-list.js';
import type { ExportOutput } from '../../lib/output/export-output.js';
import { createLimiter } from '../../lib/pipeline/limiter.js';
import { ExportRun } from '../../lib/run/export-run.js';
import { fatalWriteError } from '../../lib/sinks/fatal-write-error.js';
import { saveOriginal, type OriginalSaveContext } from '../../lib/sinks/original-file.js';
import type { MediaMode } from '../../lib/output/fs-worker-pool.js';
import type { ExportRecord, ExportStatus } from '../../lib/types.js';
import type { FormattedItem } from './format-stage.js';

/** Observes one save of an item under its metrics category. */
export type TrackSave = (category: 'original_file' | 'data_file', save: Promise<ExportStatus>) => Promise<ExportStatus>;

/** What a format writer needs from the export it writes into. */
export interface WriterContext extends OriginalSaveContext {
  /** Copy (or download) each item's original into the format's image folder. */
  readonly saveOriginalFile: boolean;
  /** Where readers find the dataset, when it is written elsewhere first (a sharded export's fan-in). Default: `output.root`. */
  readonly datasetPath?: string;
}

/**
 * Writes a format's files: per item as records arrive (`saveImage`, `saveAnnotations`), and the
 * dataset-wide files (`classes.txt`, `annotations.json`…) in `close`, after the last item.
 * Everything goes through `ctx.output`, so it lands in the manifest and works in any output mode.
 * An item's files go through the context its save was given (`write`'s `itemCtx`): the engine's
 * is scoped to the item, so the item's journal entry lists them; the writer's own context is for
 * dataset-wide work, and never one item's.
 */
export abstract class FormatWriter<T> {
  private readonly directories = new Map<string, Promise<string>>();

  constructor(protected readonly ctx: WriterContext) {}

  /** Where an item's image goes, relative to the export directory. */
  protected abstract imagePath(record: NamedRecord<FormattedItem<T>>): string;

  /** Writes (or queues for `close`) an item's annotations, through `itemCtx`; a per-item problem is a `failed` status. */
  abstract saveAnnotations(record: NamedRecord<FormattedItem<T>>, itemCtx: WriterContext): Promise<ExportStatus>;

  /** Writes the dataset-wide files. Called once, after the last item. */
  abstract close(): Promise<void>;

  /**
   * Sharded runs: what `close` needs of this shard's items, as one JSON value, instead of the
   * dataset-wide files. The fan-in gives each shard's part to `absorb`, in shard order, then `close`s.
   */
  async part(): Promise<unknown> {
    throw this.notShardable();
  }

  /** The fan-in: adds one shard's `part` (shards in source order), before `close`. */
  async absorb(_part: unknown): Promise<void> {
    throw this.notShardable();
  }

  private notShardable(): ExportError {
    return new ExportError(`${this.constructor.name} cannot be finished from shard parts: this format does not run sharded`, { code: ErrorCode.INVALID_OPTION });
  }

  async saveImage(record: NamedRecord<FormattedItem<T>>, itemCtx: WriterContext = this.ctx): Promise<ExportStatus> {
    const target = this.imagePath(record);
    await this.ensureDirectory(dirname(target));
    return saveOriginal(record, itemCtx, target);
  }

  /** Creates a folder of the export once, however many items write into it. */
  protected ensureDirectory(relative: string): Promise<string> {
    let made = this.directories.get(relative);
    if (made === undefined) {
      made = this.ctx.output.mkdir(relative);
      this.directories.set(relative, made);
    }
    return made;
  }

  /** Writes one per-item text file through `itemCtx` (the item's; default the writer's own); a failure is recorded against the item, not thrown. */
  protected async writeItemFile(record: NamedRecord<FormattedItem<T>>, relative: string, text: string, itemCtx: WriterContext = this.ctx): Promise<ExportStatus> {
    const fileName = relative.split('/').pop()!;
    let error: string | undefined;
    try {
      await this.ensureDirectory(dirname(relative));
      await itemCtx.output.writeFile(relative, text);
    } catch (caught) {
      // A full disk or a vanished export directory stops the export, as for the JSON files; a
      // training format cannot be resumed (its annotations are gathered over the whole run).
      const fatal = await fatalWriteError(caught, itemCtx.uniqueExportPath, false);
      if (fatal !== undefined) throw fatal;
      error = messageOf(caught);
      itemCtx.errors.addJson(fileName, error);
    }
    const status: ExportStatus = error === undefined ? 'success' : 'failed';
    itemCtx.run.exportLogJsonFile(record.id, { file_name: fileName }, status, error ?? '');
    return status;
  }

  /**
   * Saves one item: its image (when originals are kept) and its annotations, independently.
   * `track` sees each save under its metrics category (the engine counts them).
   */
  async write(record: NamedRecord<FormattedItem<T>>, track: TrackSave = (_category, save) => save, itemCtx: WriterContext = this.ctx): Promise<ExportStatus> {
    const saves: Array<Promise<ExportStatus>> = [];
    if (this.ctx.saveOriginalFile) saves.push(track('original_file', this.saveImage(record, itemCtx)));
    saves.push(track('data_file', this.saveAnnotations(record, itemCtx)));
    const statuses = await Promise.all(saves);
    return statuses.includes('failed') ? 'failed' : 'success';
  }

  /**
   * The writer as the last step of your own `stream.pipeline`: takes the records a convert stage
   * emits, names them (collision-safe, as the engine does), writes them one at a time, and
   * finishes the format's files and the error list when the stream ends.
   */
  stream(): Writable {
    const names = new NameAllocator();
    // The engine's naming rule: file_name_original, else the path's or URL's last part.
    const originalName = new Exporter();
    return new Writable({
      objectMode: true,
      highWaterMark: 16,
      write: (record: ExportRecord<FormattedItem<T>>, _encoding, callback) => {
        if (record.status !== 'pending' || record.item === null) {
          callback();
          return;
        }
        const item = record.item;
        const fallback = `item-${String(record.id ?? record.index)}`;
        record.names ??= names.allocate(originalName.getOriginalFileName(item.files ?? {}) ?? fallback, fallback);
        this.write(record as NamedRecord<FormattedItem<T>>).then(
          (status) => {
            record.status = status === 'failed' ? 'failed' : 'success';
            callback();
          },
          (error: unknown) => callback(error as Error),
        );
      },
      final: (callback) => {
        this.close().then(
          () => this.ctx.errors.writeTo(this.ctx.output).then(() => callback(), callback),
          callback,
        );
      },
    });
  }
}

export interface StandaloneWriterOptions {
  /** Relative `files.path` values resolve against it. Default: the working directory. */
  baseDirectory?: string;
  /** Copy originals into the format's image folder. Default true. */
  saveOriginalFile?: boolean;
  run?: ExportRun;
  downloadConcurrency?: number;
  /** How local originals are put in place: copied (default), hard- or symbolically linked. */
  mediaMode?: MediaMode;
}

/** A writer context over an `ExportOutput`, for writers used outside `runExport`. */
export function standaloneContext(output: ExportOutput, options: StandaloneWriterOptions = {}): WriterContext {
  return {
    output,
    run: options.run ?? new ExportRun(),
    uniqueExportPath: output.root,
    errors: new ErrorList(output),
    baseDirectory: options.baseDirectory ?? process.cwd(),
    download: {},
    limitDownloads: createLimiter(options.downloadConcurrency ?? 8, 'downloadConcurrency'),
    signal: new AbortController().signal,
    saveOriginalFile: options.saveOriginalFile ?? true,
    mediaMode: options.mediaMode ?? 'copy',
  };
}

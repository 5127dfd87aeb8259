import { basename } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ExportRun } from '../run/export-run.js';
import { saveDataFile, JSON_DIRECTORY } from '../sinks/data-file.js';
import { saveOriginal, ORIGIN_DIRECTORY } from '../sinks/original-file.js';
import type { SourceInput } from '../sources/item-source.js';
import type { ExportItem, ExportStatus, FileDescriptor, MaybePromise } from '../types.js';
import type { ExportContext, ExporterParams, NamedRecord, OutputPaths } from './context.js';
import { executeExport, type ExportResult, type RunOptions } from './execute-export.js';

export interface ExporterOptions {
  /** Reports what happens; one is created when not given. */
  run?: ExportRun;
  /** The items `export()` reads when called without any (the reference's `export_items`). */
  exportItems?: SourceInput;
  /** The folder the export directory is created in (the reference's `path_root`). */
  pathRoot?: string;
  params?: ExporterParams;
}

/**
 * The export template of the Synapse SDK, in camelCase. Subclass it and implement `convertData`;
 * override any other hook to change one step. `export()` builds the streaming pipeline from these
 * hooks (source → beforeConvert → convertData → afterConvert → naming → processFileSaving →
 * flush with additionalFileSaving), so a subclass never writes a loop.
 *
 * Hooks take and return the whole export item (`{id, data, files}`); returning `null` or
 * `undefined` skips the item, throwing fails it alone.
 */
export abstract class BaseExporter<TItem extends ExportItem = ExportItem> {
  run: ExportRun;
  exportItems: SourceInput | undefined;
  pathRoot: string | undefined;
  params: ExporterParams;
  /**
   * Whether an interrupted export of this exporter can be resumed. Set it to false when
   * `additionalFileSaving` writes files gathered from every item of the run (a COCO
   * `annotations.json`): a resumed run skips the items already saved, so those files would
   * silently lack them. `resume` is then refused with `ERR_RESUME_REFUSED`.
   */
  readonly resumable: boolean = true;

  constructor(options: ExporterOptions = {}) {
    this.run = options.run ?? new ExportRun();
    this.exportItems = options.exportItems;
    this.pathRoot = options.pathRoot;
    this.params = options.params ?? {};
  }

  /** Required: turns an item's data into what the export should hold. */
  abstract convertData(item: TItem, ctx: ExportContext): MaybePromise<TItem | null | undefined>;

  beforeConvert(item: TItem, _ctx: ExportContext): MaybePromise<TItem | null | undefined> {
    return item;
  }

  afterConvert(item: TItem, _ctx: ExportContext): MaybePromise<TItem | null | undefined> {
    return item;
  }

  /** Creates the export's folders: `json/`, and `origin_files/` when originals are saved. */
  async setupOutputDirectories(uniqueExportPath: string, saveOriginalFile: boolean): Promise<OutputPaths> {
    const paths: OutputPaths = { json_output_path: join(uniqueExportPath, JSON_DIRECTORY) };
    if (saveOriginalFile) paths.origin_files_output_path = join(uniqueExportPath, ORIGIN_DIRECTORY);
    await Promise.all(Object.values(paths).map((path) => mkdir(path, { recursive: true })));
    return paths;
  }

  /**
   * Saves one converted item. By default the original and the JSON are saved at the same time
   * and independently (one failing does not stop the other); returns false when either failed.
   */
  async processFileSaving(record: NamedRecord<TItem>, ctx: ExportContext): Promise<boolean> {
    const saves: Array<Promise<ExportStatus>> = [];
    if (ctx.saveOriginalFile) saves.push(ctx.metrics.track('original_file', this.saveOriginalFile(record, ctx)));
    saves.push(ctx.metrics.track('data_file', this.saveAsJson(record, ctx)));
    const statuses = await Promise.all(saves);
    return !statuses.includes('failed');
  }

  /** Copies or downloads the item's original media to `origin_files/`. */
  saveOriginalFile(record: NamedRecord<TItem>, ctx: ExportContext): Promise<ExportStatus> {
    return saveOriginal(record, ctx);
  }

  /** Writes the item's data to `json/<stem>.json`. */
  saveAsJson(record: NamedRecord<TItem>, ctx: ExportContext): Promise<ExportStatus> {
    return saveDataFile(record, ctx);
  }

  /** The name the item's outputs derive from: `file_name_original`, else the path's or URL's last part. */
  getOriginalFileName(files: FileDescriptor): string | undefined {
    if (typeof files.file_name_original === 'string' && files.file_name_original !== '') return files.file_name_original;
    if (typeof files.path === 'string' && files.path !== '') return basename(files.path);
    if (typeof files.url === 'string') {
      try {
        return basename(decodeURIComponent(new URL(files.url).pathname)) || undefined;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** Runs once after every item is saved: write `classes.txt`, `dataset.yaml`… through `ctx.output`. */
  additionalFileSaving(_uniqueExportPath: string, _ctx: ExportContext): MaybePromise<void> {}

  /**
   * Runs the export over `exportItems` (or the items given) into `pathRoot`, named by
   * `params.name`, and resolves with where it went and what happened.
   */
  export(exportItems?: SourceInput, options: Partial<RunOptions> = {}): Promise<ExportResult> {
    return executeExport(this, {
      source: exportItems ?? this.exportItems,
      output: this.pathRoot,
      name: this.params.name,
      saveOriginalFile: this.params.save_original_file,
      total: this.params.count,
      ...options,
    });
  }
}

/** The reference template's `Exporter`: every hook is the identity. Exports items as they are. */
export class Exporter extends BaseExporter {
  convertData(item: ExportItem): ExportItem {
    return item;
  }
}

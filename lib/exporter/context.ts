import type { Limiter } from '../pipeline/limiter.js';
import type { ErrorList } from '../output/error-list.js';
import type { ExportOutput } from '../output/export-output.js';
import type { MediaMode } from '../output/fs-worker-pool.js';
import type { ExportRun } from '../run/export-run.js';
import type { DownloadOptions } from '../sinks/download.js';
import type { ExportItem, ItemId, ItemNames } from '../types.js';
import type { FileMetrics } from './file-metrics.js';

/** Parameters as the platform passes them (snake_case, as in the reference), plus any of the plugin's own. */
export interface ExporterParams {
  name?: string;
  description?: string;
  save_original_file?: boolean;
  /** How many items the source holds, when known (the backend's count). */
  count?: number;
  extra_params?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What `setupOutputDirectories` returns: named folders, as the reference's dict of paths. */
export type OutputPaths = Record<string, string>;

/** An item that has its output names: what `processFileSaving` and the savers get. */
export interface NamedRecord<T = ExportItem> {
  readonly index: number;
  readonly id: ItemId | undefined;
  readonly item: T;
  readonly names: ItemNames;
}

/** Everything a hook or saver may need about the export it is part of. */
export interface ExportContext {
  readonly run: ExportRun;
  readonly params: ExporterParams;
  /** Writes inside the export directory and records each file for the manifest. */
  readonly output: ExportOutput;
  /** The folder exports are created in (the reference's `path_root`). */
  readonly exportPath: string;
  /** This export's own folder: `<exportPath>/<name>` or `<name>(n)`. */
  readonly uniqueExportPath: string;
  readonly saveOriginalFile: boolean;
  /** How local originals land in the export: copied (default), hard-linked or symlinked. */
  readonly mediaMode: MediaMode;
  /** What `setupOutputDirectories` returned. */
  readonly paths: OutputPaths;
  /** The error list that becomes `error_file_list.json`. */
  readonly errors: ErrorList;
  readonly metrics: FileMetrics;
  /** Relative `files.path` values resolve against this folder. */
  readonly baseDirectory: string;
  readonly download: Omit<DownloadOptions, 'signal'>;
  /** Bounds how many downloads run at once across the export. */
  readonly limitDownloads: Limiter;
  readonly signal: AbortSignal;
}

/**
 * The shapes that flow through an export: items from sources, records between stages.
 */

export type ItemId = string | number;

/** Where an item's original media comes from (the reference's `files` dict). */
export interface FileDescriptor {
  /** The media's original file name; the output names derive from it. */
  file_name_original?: string;
  /** A local path (relative paths resolve against the source's base directory). */
  path?: string;
  /** An `http(s)` URL to download. */
  url?: string;
  size?: number;
  checksum?: string;
  [key: string]: unknown;
}

/** One unit of export: the annotation document, its media, and the target's id. */
export interface ExportItem<TData = unknown> {
  id: ItemId;
  data: TData;
  files: FileDescriptor;
  [key: string]: unknown;
}

/** Per-file outcome, as the reference's `ExportStatus` plus `skipped`. */
export type ExportStatus = 'success' | 'failed' | 'skipped' | 'stand_by';

/** Where an item is in its life: still moving, or settled. */
export type RecordStatus = 'pending' | 'success' | 'failed' | 'skipped';

/** Why an item failed, kept on its record and copied to the error list. */
export interface ItemFailure {
  code: string;
  message: string;
  /** The stage or sink that failed: `beforeConvert`, `data_file`, `source`… */
  step: string;
}

/** Names the naming stage reserved for one item; its sinks use these and nothing else. */
export interface ItemNames {
  /** Collision-free stem shared by the JSON file and the original (`a`, `a(1)`…). */
  stem: string;
  /** Safe original file name with the stem applied (`a(1).jpg`). */
  originalFileName: string;
  /** JSON file name (`a(1).json`). */
  jsonFileName: string;
}

/**
 * An item on its way through the pipeline. Stages replace `item`; a failure or a skip settles
 * the record and later stages pass it along untouched, so counts and error lists see every item.
 */
export interface ExportRecord<T = ExportItem> {
  /** 1-based position in the source: stable, used in messages and for ordering. */
  readonly index: number;
  /** The item's id as the source gave it (kept when a hook replaces the item). */
  readonly id: ItemId | undefined;
  item: T | null;
  status: RecordStatus;
  failure?: ItemFailure;
  names?: ItemNames;
  /** Per-sink outcome, filled by the fan-out. */
  outcomes?: Record<string, ExportStatus>;
}

export type MaybePromise<T> = T | Promise<T>;

export interface Counts {
  total: number;
  success: number;
  failed: number;
  skipped: number;
}

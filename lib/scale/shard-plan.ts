import type { InputFormat } from '../sources/file-source.js';
import type { BackendListing } from './backend-listing.js';
import type { ShardedFormat } from './shard-format.js';

/** Where a sharded export is written: an S3-compatible bucket, or a folder every worker shares (NFS…). */
export type ShardTarget = S3ShardTarget | FolderShardTarget;

/** An export folder in a bucket. Credentials come from each process's environment. */
export interface S3ShardTarget {
  kind: 's3';
  bucket: string;
  /** Key prefix of the export's own folder (`team/exports/gt`): its files go under `<key>/`. */
  key: string;
  /** For MinIO, moto and other S3-compatible servers (path-style addressing). */
  endpoint?: string;
  region?: string;
}

/** An export folder on a file system that every worker mounts at the same path. */
export interface FolderShardTarget {
  kind: 'folder';
  /** Absolute path of the export's own folder. */
  path: string;
}

/** What every shard runs with: the ordinary export settings of one export. */
export interface ShardedExportSpec {
  /** Absolute path of the items file; every worker must be able to read it at this path. For a backend listing: its label. */
  input: string;
  /** The items file's size when planned: a re-run continues this plan only for the same file. 0 for a backend listing. */
  inputBytes: number;
  /** Items come from this backend listing, cut by page ranges, instead of the file `input`. */
  backend?: BackendListing;
  format: InputFormat;
  /** The export directory's name (the last part of `target.key`). */
  name: string;
  saveOriginalFile: boolean;
  concurrency: number;
  downloadConcurrency: number;
  download: { timeoutMs?: number; retries?: number };
  /** A training format (COCO, YOLO); absent: the Synapse `dm` layout. */
  training?: ShardedFormat;
}

/** One shard: a slice of the source's entries, `firstIndex + 1 … firstIndex + count`. */
export interface ShardRange {
  shard: number;
  /** Entries before the shard's first (its record indexes continue from there). */
  firstIndex: number;
  count: number;
  /** JSONL: the slice's bytes `[start, end)` and the line number before its first line. */
  start?: number;
  end?: number;
  firstLine?: number;
  /** Backend listing: the shard's pages, `firstPage`…`lastPage` (1-based, inclusive). */
  firstPage?: number;
  lastPage?: number;
}

/**
 * The plan of a sharded export, stored beside its files (`_shards/plan.json`) so that a worker on
 * any machine reads the same one: the settings and the slices. The by-id naming plan is stored cut
 * by shard (`_shards/shard-NNNNN/names.json`), so a shard reads only its own items' names.
 */
export interface ShardPlan {
  version: 1;
  /** Random, fixed at planning: names the export's jobs and local staging folders. */
  exportId: string;
  /** When the export was planned (ISO 8601): the manifest's `started_at`. */
  createdAt: string;
  target: ShardTarget;
  spec: ShardedExportSpec;
  /** Entries in the source. */
  total: number;
  shards: ShardRange[];
}

/** Where shard state lives inside the export while it runs; removed by the fan-in. */
export const SHARD_STATE_DIRECTORY = '_shards';

export function shardLabel(shard: number): string {
  return `shard-${String(shard).padStart(5, '0')}`;
}

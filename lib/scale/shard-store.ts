import type { ShardTarget } from './shard-plan.js';
import { FolderShardStore } from './folder-shard-store.js';
import { S3ShardStore } from './s3-shard-store.js';

/**
 * A sharded export's folder in shared storage, as workers and the fan-in use it. Paths are
 * relative to the export's folder and `/`-separated.
 */
export interface ShardStore {
  readonly target: ShardTarget;
  /** `s3://bucket/key` or the folder's path, for messages and results. */
  readonly uri: string;
  /** A small JSON document, or undefined when there is none. */
  getJson<T>(relative: string): Promise<T | undefined>;
  putJson(relative: string, value: unknown): Promise<void>;
  /** A stored file's bytes as they are read (the archive step streams the export through them). */
  read(relative: string): Promise<AsyncIterable<Uint8Array>>;
  exists(relative: string): Promise<boolean>;
  /** Copies every file under the local `directory` to `<relative>/…`, `export_manifest.json` last, each file whole or not at all. */
  upload(directory: string, relative?: string): Promise<void>;
  /** Removes everything under `<relative>/`. */
  deleteFolder(relative: string): Promise<void>;
  /** Whether nothing at all is stored in the export's folder. */
  isEmpty(): Promise<boolean>;
  destroy(): void;
}

export function openShardStore(target: ShardTarget): ShardStore {
  return target.kind === 's3' ? new S3ShardStore(target) : new FolderShardStore(target);
}

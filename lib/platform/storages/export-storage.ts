import type { JsonObject } from '../client/index.js';

/**
 * Where an export goes. The engine always writes to a local folder (`pathRoot`); a storage that
 * is not the local file system moves the finished export there in `finish`.
 */
export interface ExportStorage {
  /** Local folder the engine creates the export directory in. */
  readonly pathRoot: string;
  /** The export's destination as the result reports it (`export_path`): a path or `s3://…` URI. */
  readonly exportPath: string;
  /** Moves the finished export to its destination; resolves with its final location. */
  finish(uniqueExportPath: string): Promise<string>;
  /** Removes whatever was staged; called after `finish` and after a failure. */
  dispose(): Promise<void>;
}

/** The backend's `storages/{id}/` answer: `provider` and its `configuration`. */
export type StorageRecord = JsonObject & { provider?: unknown; configuration?: unknown };

/** Opens a storage of one provider at `path` inside it. */
export type StorageFactory = (storage: StorageRecord, path: string) => Promise<ExportStorage>;

/** `path` relative to the storage root: leading slashes stripped, as the reference does. */
export function relativeStoragePath(path: string): string {
  return path.replace(/^\/+/, '');
}

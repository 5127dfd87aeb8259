import { join, resolve } from 'node:path';
import { ErrorCode, ExportError } from '../../errors.js';
import { relativeStoragePath, type ExportStorage, type StorageFactory } from './export-storage.js';

/**
 * A `file_system` storage: `configuration.location` is its root and `path` is always relative
 * to it (`/exports/x` → `<location>/exports/x`).
 */
export const openFileSystemStorage: StorageFactory = async (storage, path) => {
  const location = (storage.configuration as { location?: unknown } | undefined)?.location;
  if (typeof location !== 'string' || location === '') {
    throw new ExportError(`Storage ${String(storage.id)} (file_system) has no configuration.location`, { code: ErrorCode.STORAGE_UNSUPPORTED });
  }
  const pathRoot = resolve(join(location, relativeStoragePath(path)));
  const result: ExportStorage = {
    pathRoot,
    exportPath: pathRoot,
    finish: async (uniqueExportPath) => uniqueExportPath,
    dispose: async () => undefined,
  };
  return result;
};

import { ErrorCode, ExportError } from '../../errors.js';
import type { ExportStorage, StorageFactory, StorageRecord } from './export-storage.js';
import { openFileSystemStorage } from './file-system.js';
import { s3StorageFactory } from './s3.js';

/** Storage providers by the backend's `provider` name. */
export class StorageRegistry {
  private readonly factories = new Map<string, StorageFactory>();

  register(provider: string, factory: StorageFactory): this {
    this.factories.set(provider, factory);
    return this;
  }

  /** Opens the storage of a `storages/{id}/` answer at `path`. */
  async open(storage: StorageRecord, path: string): Promise<ExportStorage> {
    const provider = String(storage.provider);
    const factory = this.factories.get(provider);
    if (factory === undefined) {
      throw new ExportError(`Storage provider not supported: ${provider}. Supported: ${[...this.factories.keys()].join(', ')}`, { code: ErrorCode.STORAGE_UNSUPPORTED });
    }
    return factory(storage, path);
  }
}

/** `file_system`, and `amazon_s3` / `minio` / `s3` (S3-compatible object storage). */
export function defaultStorages(): StorageRegistry {
  const s3 = s3StorageFactory();
  return new StorageRegistry().register('file_system', openFileSystemStorage).register('amazon_s3', s3).register('minio', s3).register('s3', s3);
}

export { relativeStoragePath, type ExportStorage, type StorageFactory, type StorageRecord } from './export-storage.js';
export { openFileSystemStorage } from './file-system.js';
export { s3StorageFactory, type S3StorageConfiguration, type S3StorageOptions } from './s3.js';
export { StorageRegistry, defaultStorages } from './storage-registry.js';

/**
 * synapse-export: streaming export of annotated datasets. This is the public face of the
 * library; everything a user may import is exported here, except the Synapse platform side
 * (`synapse-export/platform`, lib/platform/index.ts), which loads zod and yaml.
 */
export * from './errors.js';
export type * from './types.js';
export { VERSION } from './version.js';
export * from './pipeline/index.js';
export * from './naming/index.js';
export * from './run/index.js';
export * from './sources/index.js';
export * from './exporter/index.js';
export { ExportOutput, type ManifestFileEntry } from './output/export-output.js';
export { ErrorList, ERROR_LIST_FILE, type ErrorEntry } from './output/error-list.js';
export { MANIFEST_FILE, type Manifest, type ManifestSummary } from './output/manifest.js';
export type { WrittenFile } from './output/file-ops.js';
export type { MediaMode } from './output/fs-worker-pool.js';
export { downloadToFile, type DownloadOptions } from './sinks/download.js';
export { saveDataFile, JSON_DIRECTORY } from './sinks/data-file.js';
export { saveOriginal, ORIGIN_DIRECTORY } from './sinks/original-file.js';
export { redactUrl } from './redact.js';
export * from '../transforms/index.js';
export * from '../formats/index.js';
export * from './archive/index.js';
export { openExportOutput, type ArchiveOptions } from './output/open-export-output.js';
export type { ExportOutputOptions } from './output/export-output.js';
export * from './scale/index.js';

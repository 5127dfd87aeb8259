export { ZipArchive, type ZipArchiveOptions, type ArchivedEntry } from './zip-archive.js';
export { ZipWriter, type PreparedEntry, type ZipSink } from './zip-writer.js';
export { ZipStreamSink } from './zip-stream-sink.js';
export { readZipEntries, type ZipEntryReader } from './zip-reader.js';
export { verifyExport, type VerifyReport, type CorruptFile } from './verify-export.js';
export { isCompressible, DEFAULT_ZIP_LEVEL } from './compression.js';

export { safeFileName, splitExtension, MAX_NAME_BYTES } from './safe-name.js';
export { NameAllocator } from './name-allocator.js';
export { reserveExportDirectory } from './export-directory.js';

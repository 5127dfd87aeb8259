/**
 * A file not written in a staging folder (see `ExportOutput.beginStaging`) is written under
 * `<name>.partial` and renamed when complete, so a crash at any moment never leaves a truncated
 * file under a final name (and a resume overwrites cleanly).
 */
export const PARTIAL_SUFFIX = '.partial';

export { BaseExporter, Exporter, type ExporterOptions } from './base-exporter.js';
export { defineExporter, type ExporterHooks, type DefinedExporter } from './define-exporter.js';
export { runExport, type RunExportOptions } from './run-export.js';
export { executeExport, type ExportResult, type RunOptions } from './execute-export.js';
export type { ExportContext, ExporterParams, NamedRecord, OutputPaths } from './context.js';
export { FileMetrics } from './file-metrics.js';

import { Exporter, type BaseExporter } from './base-exporter.js';
import { executeExport, type ExportResult, type RunOptions } from './execute-export.js';
import type { ExportItem } from '../types.js';

export interface RunExportOptions<TItem extends ExportItem = ExportItem> extends RunOptions {
  /** The exporter whose hooks run; default: `Exporter`, which writes items as they are. */
  exporter?: BaseExporter<TItem>;
}

/** Runs one export: `source` → exporter hooks → `output/name`, resolving with paths and counts. */
export function runExport<TItem extends ExportItem = ExportItem>(options: RunExportOptions<TItem>): Promise<ExportResult> {
  const { exporter, ...rest } = options;
  return executeExport((exporter ?? new Exporter()) as BaseExporter<TItem>, rest);
}

import { BaseExporter } from '../lib/exporter/base-exporter.js';
import type { ExportItem } from '../lib/types.js';
import { classMapper, mapDocumentClasses, type ClassMapper, type ClassMappingOptions } from './classes.js';

/** The reference layout (`json/` + `origin_files/`) with classes filtered and renamed in each DM document. */
export class ClassMappingExporter extends BaseExporter {
  private readonly mapper: ClassMapper;

  constructor(mapping: ClassMappingOptions) {
    super();
    this.mapper = classMapper(mapping);
  }

  convertData(item: ExportItem): ExportItem {
    return item.data ? { ...item, data: mapDocumentClasses(item.data, this.mapper) } : item;
  }
}

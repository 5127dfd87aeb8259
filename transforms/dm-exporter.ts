import { BaseExporter, type ExporterOptions } from '../lib/exporter/base-exporter.js';
import type { ExportItem, MaybePromise } from '../lib/types.js';
import { classMapper, mapDocumentClasses, type ClassMapper, type ClassMappingOptions } from './classes.js';
import { loadDmValidator } from './dm/load-validator.js';

export interface DmExporterOptions extends ExporterOptions {
  /** Class filter and renames applied to each DM document. */
  classes?: ClassMappingOptions;
  /** Fail items whose document does not fit DM v1/v2 (`validateDm`). */
  validate?: boolean;
}

/** The reference layout (`json/` + `origin_files/`, DM as exported), with optional validation and class mapping. */
export class DmExporter extends BaseExporter {
  private readonly mapper: ClassMapper | undefined;
  private readonly validate: boolean;

  constructor(options: DmExporterOptions = {}) {
    super(options);
    this.mapper = options.classes === undefined ? undefined : classMapper(options.classes);
    this.validate = options.validate ?? false;
  }

  /** Synchronous unless validating, which waits for the validator's first load. */
  convertData(item: ExportItem): MaybePromise<ExportItem> {
    if (!this.validate) return this.mapped(item);
    return loadDmValidator().then((validate) => {
      validate(item);
      return this.mapped(item);
    });
  }

  private mapped(item: ExportItem): ExportItem {
    return item.data && this.mapper !== undefined ? { ...item, data: mapDocumentClasses(item.data, this.mapper) } : item;
  }
}

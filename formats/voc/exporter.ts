import type { ExportContext } from '../../lib/exporter/context.js';
import { FormatExporter, type FormatExporterOptions } from '../shared/format-exporter.js';
import type { ConvertInput } from '../shared/format-stage.js';
import { convertVoc, type VocImage } from './convert.js';
import { VocWriter } from './writer.js';

/** Pascal VOC as a `BaseExporter`. Reads each image's header for its depth (channels). */
export class VocExporter extends FormatExporter<VocImage> {
  constructor(options: FormatExporterOptions = {}) {
    super(options);
    this.readHeader = true;
  }

  protected convertObjects(input: ConvertInput): VocImage {
    return convertVoc(input);
  }

  protected createWriter(ctx: ExportContext): VocWriter {
    return new VocWriter(ctx);
  }
}

import type { ExportContext } from '../../lib/exporter/context.js';
import { FormatExporter, type FormatExporterOptions } from '../shared/format-exporter.js';
import type { ConvertInput } from '../shared/format-stage.js';
import { convertCoco, type CocoImage } from './convert.js';
import { CocoWriter, type CocoWriterOptions } from './writer.js';

export interface CocoExporterOptions extends FormatExporterOptions {
  coco?: CocoWriterOptions;
}

/** COCO (detection, instance segmentation, keypoints) as a `BaseExporter`. Needs no pre-pass. */
export class CocoExporter extends FormatExporter<CocoImage> {
  private readonly cocoOptions: CocoWriterOptions;

  constructor(options: CocoExporterOptions = {}) {
    super(options);
    this.cocoOptions = options.coco ?? {};
  }

  protected convertObjects(input: ConvertInput): CocoImage {
    return convertCoco(input);
  }

  protected createWriter(ctx: ExportContext): CocoWriter {
    return new CocoWriter(ctx, this.cocoOptions);
  }
}

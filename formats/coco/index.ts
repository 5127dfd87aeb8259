import type { Transform, Writable } from 'node:stream';
import type { ExportOutput } from '../../lib/output/export-output.js';
import { formatStage, type FormatStageOptions } from '../shared/format-stage.js';
import { standaloneContext, type StandaloneWriterOptions } from '../shared/format-writer.js';
import { convertCoco } from './convert.js';
import { CocoWriter, type CocoWriterOptions } from './writer.js';

export { convertCoco, cocoBox, cocoSegmentation, cocoClassNames, type CocoImage, type CocoObject } from './convert.js';
export { CocoWriter, type CocoWriterOptions, type CocoInfo, type CocoLicense } from './writer.js';
export { CocoExporter, type CocoExporterOptions } from './exporter.js';

/** COCO for `stream.pipeline`: `pipeline(records, coco.stage(), coco.writer(output))`. */
export const coco = {
  stage(options: FormatStageOptions = {}): Transform {
    return formatStage('coco', convertCoco, options);
  },
  writer(output: ExportOutput, options: CocoWriterOptions & StandaloneWriterOptions = {}): Writable {
    return new CocoWriter(standaloneContext(output, options), options).stream();
  },
};

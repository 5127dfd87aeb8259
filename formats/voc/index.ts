import type { Transform, Writable } from 'node:stream';
import type { ExportOutput } from '../../lib/output/export-output.js';
import { formatStage, type FormatStageOptions } from '../shared/format-stage.js';
import { standaloneContext, type StandaloneWriterOptions } from '../shared/format-writer.js';
import { convertVoc } from './convert.js';
import { VocWriter } from './writer.js';

export { convertVoc, roundHalfEven, vocClassNames, type VocImage, type VocObject } from './convert.js';
export { vocXml, VOC_IMAGE_FOLDER } from './xml.js';
export { VocWriter } from './writer.js';
export { VocExporter } from './exporter.js';

/** Pascal VOC for `stream.pipeline`: `pipeline(records, voc.stage(), voc.writer(output))`. */
export const voc = {
  stage(options: FormatStageOptions = {}): Transform {
    return formatStage('voc', convertVoc, { readHeader: true, ...options });
  },
  writer(output: ExportOutput, options: StandaloneWriterOptions = {}): Writable {
    return new VocWriter(standaloneContext(output, options)).stream();
  },
};

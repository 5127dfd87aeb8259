import type { Transform, Writable } from 'node:stream';
import type { ExportOutput } from '../../lib/output/export-output.js';
import type { ClassList } from '../shared/class-list.js';
import { formatStage, type FormatStageOptions } from '../shared/format-stage.js';
import { standaloneContext, type StandaloneWriterOptions } from '../shared/format-writer.js';
import { convertYolo, type YoloTask } from './convert.js';
import { YoloWriter } from './writer.js';

export { convertYolo, yoloBox, yoloPolygon, yoloKeypoints, yoloClassNames, normalised, type YoloLabels, type YoloTask } from './convert.js';
export { YoloWriter } from './writer.js';
export { YoloExporter, type YoloExporterOptions } from './exporter.js';

export interface YoloOptions {
  task?: YoloTask;
  /** Class ids are positions in `classes.names` (sorted by name); see `collectClasses`. */
  classes: ClassList;
}

/** YOLO for `stream.pipeline`: `pipeline(records, yolo.stage(o), yolo.writer(output, o))`. */
export const yolo = {
  stage(options: YoloOptions & FormatStageOptions): Transform {
    return formatStage('yolo', (input) => convertYolo(input, options.task ?? 'detect', options.classes), options);
  },
  writer(output: ExportOutput, options: YoloOptions & StandaloneWriterOptions): Writable {
    return new YoloWriter(standaloneContext(output, options), options.task ?? 'detect', options.classes).stream();
  },
};

/** Training formats: each a per-item convert stage, a streaming writer and a ready exporter. */
export * from './coco/index.js';
export * from './yolo/index.js';
export * from './voc/index.js';
export { FORMATS, FORMAT_NAMES, formatExporter, type FormatName, type FormatDescription, type FormatExporterSettings } from './registry.js';
export { collectClasses, classList, sortedNames, type ClassList, type ClassSelector } from './shared/class-list.js';
export { formatStage, type FormattedItem, type ConvertInput, type Converter, type FormatStageOptions } from './shared/format-stage.js';
export { FormatWriter, standaloneContext, type WriterContext, type StandaloneWriterOptions } from './shared/format-writer.js';
export { FormatExporter, type FormatExporterOptions } from './shared/format-exporter.js';
export { imageObjects, KEYPOINT_CATEGORY, type ImageObjects, type BoxObject, type ShapeObject, type PoseObject } from './shared/objects.js';
export { readImageSize, type ImageSize } from './shared/image-header.js';
export { resolveImageInfo, type ImageInfo } from './shared/image-info.js';

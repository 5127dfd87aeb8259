/** Reusable stages: DM normalisation and validation, class mapping, splitting. */
export { dmToV2, normaliseItem, type DmToV2Options } from './dm/dm-to-v2.js';
export { convertV1ToV2, isDmV2, mediaTypeOf, type V1ToV2Options } from './dm/v1-to-v2.js';
export * from './dm/types.js';
export { mapClasses, classMapper, mapDocumentClasses, parseRenames, type ClassMappingOptions, type ClassMapper } from './classes.js';
export { assignSplit, splitOf, parseSplit, SPLIT_NAMES, type SplitName, type SplitRatios, type SplitItem } from './split.js';
export { warningSink, type WarningSink } from './warnings.js';
// validateDmDocument and the schemas are zod's: they are exported by synapse-export/platform.
export { validateDm } from './dm/validate-dm.js';
export { DmExporter, type DmExporterOptions } from './dm-exporter.js';

export { type ItemSource, type SourceInput, toItemSource, isItemSource } from './item-source.js';
export { SourceFailure } from './source-failure.js';
export { openInput, fileSource, streamSource, DATASET_ITEM_FILES, type FileSourceOptions, type InputFormat } from './file-source.js';
export { parseJsonLines } from './jsonl.js';
export { parseJsonArray, type JsonArrayOptions } from './json-array.js';
export { syntheticSource, type SyntheticOptions } from './synthetic.js';

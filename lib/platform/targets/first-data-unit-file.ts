import type { FileDescriptor } from '../../types.js';
import type { JsonObject } from '../client/index.js';

/**
 * The first file of a result's data unit (`data_unit.files`, keyed by file spec name), as the
 * reference exports for tasks and ground-truth events. Empty when the data unit has no files.
 */
export function firstDataUnitFile(result: JsonObject): FileDescriptor {
  const dataUnit = result.data_unit as { files?: Record<string, FileDescriptor> } | undefined;
  const files = dataUnit?.files ?? {};
  const first = Object.keys(files)[0];
  return first === undefined ? {} : (files[first] ?? {});
}

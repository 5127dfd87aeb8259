import type { FileDescriptor } from '../../types.js';
import type { JsonObject } from '../client/index.js';

/**
 * A backend file descriptor as the engine reads it. The backend's `path` is where the file sits
 * in the platform's storage, not on this machine; the engine would try to copy it, so with a
 * `url` present it moves to `storage_path` and the original is downloaded from `url`, as the
 * reference does.
 */
export function platformFile(file: unknown): FileDescriptor {
  if (file === null || typeof file !== 'object') return {};
  const { path, ...rest } = file as FileDescriptor;
  if (path === undefined || typeof rest.url !== 'string') return file as FileDescriptor;
  return { ...rest, storage_path: path };
}

/**
 * The first file of a result's data unit (`data_unit.files`, keyed by file spec name), as the
 * reference exports for tasks and ground-truth events. Empty when the data unit has no files.
 */
export function firstDataUnitFile(result: JsonObject): FileDescriptor {
  const dataUnit = result.data_unit as { files?: Record<string, unknown> } | undefined;
  const files = dataUnit?.files ?? {};
  const first = Object.keys(files)[0];
  return first === undefined ? {} : platformFile(files[first]);
}

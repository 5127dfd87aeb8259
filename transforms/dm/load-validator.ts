import type { ExportItem } from '../../lib/types.js';

/** Checks one item's DM document and throws naming the JSON path of the first problem. */
export type DmValidator = (item: ExportItem) => void;

let loading: Promise<DmValidator> | undefined;

/**
 * `validateDmDocument`, imported on the first validation: its schemas are zod's (~6 MB resident),
 * which an export that does not validate, and the library's entry, should not load.
 */
export function loadDmValidator(): Promise<DmValidator> {
  loading ??= import('./validate.js').then((module) => module.validateDmDocument);
  return loading;
}

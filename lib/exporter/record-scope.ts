import { AsyncLocalStorage } from 'node:async_hooks';
import type { ErrorEntry } from '../output/error-list.js';
import type { ManifestFileEntry } from '../output/export-output.js';
import type { ExportStatus } from '../types.js';

/**
 * What one item's save produced: its files, its failures, its per-category outcomes. Collected
 * while the item is being saved, whichever hook or plugin code does the writing, so that the
 * journal can say exactly what a resume may skip.
 */
export interface RecordScope {
  files: ManifestFileEntry[];
  errors: { json: ErrorEntry[]; origin: ErrorEntry[] };
  metrics: Record<string, ExportStatus>;
}

const scopes = new AsyncLocalStorage<RecordScope>();

/** Runs one item's save with a fresh scope and returns what it produced along with its result. */
export async function withRecordScope<T>(save: () => Promise<T>): Promise<{ result: T; scope: RecordScope }> {
  const scope: RecordScope = { files: [], errors: { json: [], origin: [] }, metrics: {} };
  const result = await scopes.run(scope, save);
  return { result, scope };
}

/** The scope of the item being saved here, if any (flush-time writes have none). */
export function currentRecordScope(): RecordScope | undefined {
  return scopes.getStore();
}

import type { ErrorEntry } from '../output/error-list.js';
import type { ManifestFileEntry } from '../output/export-output.js';
import type { ExportStatus } from '../types.js';
import type { ExportContext } from './context.js';

/**
 * What one item's save produced: its files, its failures, its per-category outcomes, for the
 * journal that tells a resume what it may skip.
 */
export interface RecordScope {
  files: ManifestFileEntry[];
  errors: { json: ErrorEntry[]; origin: ErrorEntry[] };
  metrics: Record<string, ExportStatus>;
}

/**
 * A context for one item's save whose output, error list and metrics also note what the save
 * did, whoever does the writing (default savers or plugin code). Views, not copies: everything
 * still lands in the export's own manifest, error list and metrics. (An AsyncLocalStorage would
 * need no views, but on Node 20 it costs about 25 µs per item.)
 */
export function scopedContext(ctx: ExportContext): { ctx: ExportContext; scope: RecordScope } {
  const scope: RecordScope = { files: [], errors: { json: [], origin: [] }, metrics: {} };
  return {
    scope,
    ctx: {
      ...ctx,
      output: ctx.output.observe((entry) => scope.files.push(entry)),
      errors: ctx.errors.observe((list, entry) => scope.errors[list].push(entry)),
      metrics: ctx.metrics.observe((category, status) => {
        scope.metrics[category] = status;
      }),
    },
  };
}

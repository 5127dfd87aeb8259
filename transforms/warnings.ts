import type { ExportRun } from '../lib/run/export-run.js';

/** Where transforms and formats report per-item problems that do not fail the item. */
export type WarningSink = (message: string) => void;

/** Warnings as run messages (level `warning`) when a run is given, else on standard error. */
export function warningSink(run?: ExportRun): WarningSink {
  if (run !== undefined) return (message) => run.logMessage(message, 'warning');
  return (message) => process.emitWarning(message, { code: 'SYNAPSE_EXPORT_WARNING' });
}

/** Reports each key once (an unknown tool, a missing class…), however many items have it. */
export function onceEach(warn: WarningSink): (key: string, message: string) => void {
  const seen = new Set<string>();
  return (key, message) => {
    if (seen.has(key)) return;
    seen.add(key);
    warn(message);
  };
}

import { ErrorCode, ExportError } from '../errors.js';
import { NamePlanner, type NamePlan } from '../naming/name-plan.js';
import { ExportRun } from '../run/export-run.js';
import type { ItemSource } from '../sources/item-source.js';
import type { BaseExporter } from './base-exporter.js';
import { nameCandidate } from './item-name.js';
import { toRecords } from './to-records.js';

/**
 * The `by-id` plan of a source: reads it once for the stems (and a second time, only when some
 * stem repeats, for the colliding items). The source must be replayable (a file, not a stream).
 */
export async function planNames(source: ItemSource, exporter: Pick<BaseExporter, 'getOriginalFileName'>): Promise<NamePlan> {
  if (source.replayable !== true) {
    throw new ExportError(`by-id naming reads the source twice; ${source.description ?? 'this source'} can be read once only (give a file)`, {
      code: ErrorCode.NAME_PLAN_MISMATCH,
    });
  }
  const planner = new NamePlanner();
  const quiet = new ExportRun();
  for await (const record of toRecords(source.items(), quiet, source.firstIndex)) {
    const candidate = nameCandidate(exporter, record);
    if (candidate !== undefined) planner.see(candidate.stem);
  }
  if (planner.hasCollisions) {
    for await (const record of toRecords(source.items(), quiet, source.firstIndex)) {
      const candidate = nameCandidate(exporter, record);
      if (candidate !== undefined) planner.collect(candidate);
    }
  }
  return planner.plan();
}

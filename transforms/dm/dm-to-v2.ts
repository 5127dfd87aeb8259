import type { Transform } from 'node:stream';
import { stage } from '../../lib/pipeline/stage.js';
import type { ExportItem } from '../../lib/types.js';
import { onceEach, warningSink, type WarningSink } from '../warnings.js';
import type { DmV1Document } from './types.js';
import { convertV1ToV2, isDmV2 } from './v1-to-v2.js';

export interface DmToV2Options {
  /** Where unknown tools are reported (once per tool, naming the first item that has it). */
  onWarning?: WarningSink;
}

/**
 * Normalises each item's `data` from DM v1 to DM v2; documents already in v2 and `null` data pass
 * as they are. DM v2 has no place for the image size, so a size found in v1 `extra` is carried to
 * `files.width`/`files.height` (replacing what the file's meta said) for the formats that need it.
 */
export function normaliseItem(item: ExportItem, report: (tool: string, itemId: ExportItem['id']) => void): ExportItem {
  const data = item.data as DmV1Document | null;
  if (data === null || data === undefined || isDmV2(data)) return item;
  const files = { ...(item.files ?? {}) };
  const size = sizeFromExtra(data);
  // The annotation document is the authority on its image's size; files' meta is the fallback.
  if (size !== undefined) {
    files.width = size.width;
    files.height = size.height;
  }
  const v2 = convertV1ToV2(data, { itemId: item.id, onUnknownTool: (tool) => report(tool, item.id) });
  return { ...item, data: v2, files };
}

/** `{width, height}` of the first media id in v1 `extra` that has both, as numbers. */
export function sizeFromExtra(data: DmV1Document): { width: number; height: number } | undefined {
  for (const meta of Object.values(data.extra ?? {})) {
    const width = Number(meta?.width);
    const height = Number(meta?.height);
    if (meta && meta.width !== undefined && meta.height !== undefined && Number.isFinite(width) && Number.isFinite(height)) return { width, height };
  }
  return undefined;
}

/** The reporter `dmToV2` uses: once per unknown tool, with the item id. */
export function unknownToolReporter(warn: WarningSink): (tool: string, itemId: ExportItem['id']) => void {
  const once = onceEach(warn);
  return (tool, itemId) => once(tool, `Unknown tool type '${tool}' (first seen in item ${String(itemId)}); its annotations are skipped`);
}

/** The DM v1 → v2 normalising stage, as a list to spread into `pipeline(...)`. */
export function dmToV2(options: DmToV2Options = {}): [Transform] {
  const report = unknownToolReporter(options.onWarning ?? warningSink());
  return [stage((item: ExportItem) => normaliseItem(item, report), { name: 'dmToV2' })];
}

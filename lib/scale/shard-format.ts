import { formatExporter } from '../../formats/registry.js';
import type { ClassList } from '../../formats/shared/class-list.js';
import type { FormatExporter } from '../../formats/shared/format-exporter.js';
import { YoloExporter } from '../../formats/yolo/exporter.js';
import { fileSource, type InputFormat } from '../sources/file-source.js';

/** The training formats a sharded export writes: those whose dataset-wide files can be stitched from shard parts. */
export const SHARDABLE_FORMATS = ['coco', 'yolo', 'yolo-seg', 'yolo-pose'] as const;
export type ShardableFormat = (typeof SHARDABLE_FORMATS)[number];

/** A sharded export's training format, as the plan stores it. */
export interface ShardedFormat {
  name: ShardableFormat;
  /** YOLO: the class list, found by the planner's pre-pass over the whole input (ids must agree across shards). */
  classList?: ClassList;
}

/** Where each shard keeps its part of the dataset-wide files until the fan-in (beside its manifest). */
export const FORMAT_PART_FILE = 'format-part.json';

/**
 * Plans a format: YOLO's class ids are positions in the sorted class list of every item, so the
 * planner reads the input once more (the same pre-pass a single-process run makes) and stores the
 * list in the plan; COCO needs nothing, since the fan-in numbers categories from all shards' parts.
 */
export async function planFormat(name: ShardableFormat, input: string, format: InputFormat): Promise<ShardedFormat> {
  const exporter = formatExporter(name, {});
  if (!(exporter instanceof YoloExporter)) return { name };
  await exporter.prepare(await fileSource(input, { format }));
  return { name, classList: exporter.classList! };
}

/** The format's exporter in a shard (`partFile`: its part goes there) or in the fan-in (no `partFile`). */
export function shardFormatExporter(format: ShardedFormat, partFile?: string): FormatExporter<unknown> {
  return formatExporter(format.name, {
    ...(format.classList === undefined ? {} : { classList: format.classList }),
    ...(partFile === undefined ? {} : { partFile }),
  });
}

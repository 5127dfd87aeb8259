import type { Transform } from 'node:stream';
import { ErrorCode, ExportError } from '../../lib/errors.js';
import { stage } from '../../lib/pipeline/stage.js';
import type { ExportItem, ItemId, MaybePromise } from '../../lib/types.js';
import { normaliseItem, unknownToolReporter } from '../../transforms/dm/dm-to-v2.js';
import type { DmV2Document } from '../../transforms/dm/types.js';
import { warningSink, type WarningSink } from '../../transforms/warnings.js';
import { resolveImageInfo, type ImageInfo, type ImageInfoOptions } from './image-info.js';
import { imageObjects, mapObjects, type ImageObjects } from './objects.js';
import type { ClassMapper } from '../../transforms/classes.js';

/** What a format's converter gets for one item. */
export interface ConvertInput {
  itemId: ItemId;
  document: DmV2Document;
  objects: ImageObjects;
  image: ImageInfo;
  /** Reports a problem with this item that does not fail it (the item id is added). */
  warn: (message: string) => void;
}

/** An item after a format's convert stage: its v2 document, image size and converted form. */
export type FormattedItem<T> = ExportItem & {
  data: DmV2Document;
  image: ImageInfo;
  converted: T;
  split?: string;
};

export interface FormatStageOptions extends ImageInfoOptions {
  onWarning?: WarningSink;
  /** Renames and filters the objects' classes (`classMapper(…)`), keypoint categories included. */
  mapper?: ClassMapper;
}

/** Turns one item's objects into a format's per-item form (label lines, COCO entries, VOC XML). */
export type Converter<T> = (input: ConvertInput) => MaybePromise<T>;

/**
 * A format's per-item convert stage: normalises DM v1 to v2, finds the image size (document,
 * else media header), collects the image's objects and runs the format's converter. The item
 * leaves with `data` (v2), `image` and `converted`. `data: null` fails the item, as it does
 * for the JSON writer; a zero or unknown image size fails it naming the item.
 */
export function formatStage<T>(name: string, convert: Converter<T>, options: FormatStageOptions = {}): Transform {
  const state = hookState(options);
  return stage((item: ExportItem) => convertItem(item, convert, options, state), { name });
}

/** Per-stage state shared by every item: the unknown-tool reporter warns once per tool. */
export interface HookState {
  warn: WarningSink;
  reportUnknownTool: (tool: string, itemId: ItemId) => void;
}

export function hookState(options: FormatStageOptions): HookState {
  const warn = options.onWarning ?? warningSink();
  return { warn, reportUnknownTool: unknownToolReporter(warn) };
}

export async function convertItem<T>(item: ExportItem, convert: Converter<T>, options: FormatStageOptions, state: HookState): Promise<FormattedItem<T>> {
  if (item.data === null || item.data === undefined) {
    throw new ExportError('data is Null', { code: ErrorCode.NULL_DATA, itemId: item.id });
  }
  const normalised = normaliseItem(item, state.reportUnknownTool);
  const { item: located, image } = await resolveImageInfo(normalised, options);
  const document = located.data as DmV2Document;
  const warn = (message: string): void => state.warn(`item ${String(item.id)}: ${message}`);
  const found = imageObjects(document, { onSkip: warn });
  const objects = options.mapper === undefined ? found : mapObjects(found, options.mapper);
  const converted = await convert({ itemId: item.id, document, objects, image, warn });
  return { ...located, data: document, image, converted };
}

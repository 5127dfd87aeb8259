import { ErrorCode, ExportError } from '../../lib/errors.js';
import { isItemSource, type SourceInput } from '../../lib/sources/item-source.js';
import type { ClassMapper } from '../../transforms/classes.js';
import { normaliseItem } from '../../transforms/dm/dm-to-v2.js';
import type { DmV2Document } from '../../transforms/dm/types.js';
import { imageObjects, mapObjects, type ImageObjects } from './objects.js';

/** The classes a dataset is written with: ids are positions in `names`, sorted by name. */
export interface ClassList {
  names: readonly string[];
  /** Keypoint part names, sorted: the order of every pose object's keypoints. */
  keypoints: readonly string[];
}

/** Sorted, de-duplicated (code-point order, as Python's `sorted`). */
export function sortedNames(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function classList(names: Iterable<string>, keypoints: Iterable<string> = []): ClassList {
  return { names: sortedNames(names), keypoints: sortedNames(keypoints) };
}

/** Which class names of an image a format writes (boxes only for VOC, poses for YOLO pose…). */
export type ClassSelector = (objects: ImageObjects) => Iterable<string>;

export interface CollectOptions {
  /** The class filter/rename the export applies, so the pre-pass sees the same names. */
  mapper?: ClassMapper;
}

/**
 * The pre-pass: reads the source once (annotations only, no media) and returns the classes and
 * keypoint names the format will write. The source must be one that can be read again: an items
 * file or dataset folder, or an array; a stream is read once and cannot be.
 */
export async function collectClasses(source: SourceInput, select: ClassSelector, options: CollectOptions = {}): Promise<ClassList> {
  const names = new Set<string>();
  const keypoints = new Set<string>();
  for await (const entry of rereadable(source)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const item = entry as { id: string | number; data: unknown; files: Record<string, unknown> };
    if (item.data === null || typeof item.data !== 'object') continue;
    const normalised = normaliseItem({ ...item, files: item.files ?? {} }, () => undefined);
    const found = imageObjects(normalised.data as DmV2Document);
    const objects = options.mapper === undefined ? found : mapObjects(found, options.mapper);
    for (const name of select(objects)) names.add(name);
    for (const pose of objects.poses) for (const point of pose.points) keypoints.add(point.name);
  }
  return classList(names, keypoints);
}

function rereadable(source: SourceInput): AsyncIterable<unknown> | Iterable<unknown> {
  if (isItemSource(source)) return source.items();
  // An array or a collection gives a fresh iterator each time; a generator or stream is its own.
  const iterable = source as Partial<Iterable<unknown>>;
  const iterate = iterable[Symbol.iterator];
  if (typeof iterate === 'function' && iterate.call(iterable) !== iterable) return iterable as Iterable<unknown>;
  throw new ExportError(
    'this format needs its class list before the first item (ids sorted by name), and a stream cannot be read twice: give the classes (--classes or the project configuration) or an items file',
    { code: ErrorCode.CLASSES_UNKNOWN },
  );
}

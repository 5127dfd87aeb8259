import type { DmV2Annotation, DmV2Document, DmV2Media } from '../../transforms/dm/types.js';
import { boxCorners, type Point } from './geometry.js';

/** A bounding box as drawn: `rotation` in radians about its centre (0 when upright). */
export interface BoxObject {
  id: string;
  className: string;
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
}

/** A polygon (closed) or polyline (open). */
export interface ShapeObject {
  id: string;
  className: string;
  points: Point[];
  closed: boolean;
}

export interface PosePoint {
  name: string;
  x: number;
  y: number;
  visible: boolean;
}

/** Keypoints of one object (same `instance` attribute), under one category. */
export interface PoseObject {
  /** The `instance` attribute shared by its keypoints, or `''`. */
  instance: string;
  className: string;
  points: PosePoint[];
}

/** What an image holds, independent of any format. */
export interface ImageObjects {
  boxes: BoxObject[];
  shapes: ShapeObject[];
  poses: PoseObject[];
}

/**
 * The category keypoint objects belong to: DM keypoints carry the part name as their class
 * (`nose`, `left_eye`), not the object's, so they are grouped under one category as in the
 * reference's COCO converter.
 */
export const KEYPOINT_CATEGORY = 'keypoints';

export interface ObjectOptions {
  /** Told about annotations that cannot be used (an empty polygon…). */
  onSkip?: (message: string) => void;
}

/**
 * The objects of a DM v2 document's first image (an export item has one media file). Boxes,
 * polygons, polylines and keypoints; keypoints are grouped into objects by their `instance`
 * attribute. Annotations without usable geometry are reported and left out.
 */
export function imageObjects(document: DmV2Document, options: ObjectOptions = {}): ImageObjects {
  const result: ImageObjects = { boxes: [], shapes: [], poses: [] };
  const images = document.images;
  const media = (Array.isArray(images) ? images[0] : undefined) as DmV2Media | undefined;
  if (media === undefined) return result;
  const skip = options.onSkip ?? (() => undefined);

  for (const annotation of media.bounding_box ?? []) {
    const box = numbers(annotation.data);
    if (box === undefined || box.length < 4) {
      skip(`bounding box ${annotation.id} has no [x, y, width, height]; skipped`);
      continue;
    }
    const rotation = Number(attr(annotation, 'rotation') ?? 0) || 0;
    result.boxes.push({ id: annotation.id, className: annotation.classification, x: box[0]!, y: box[1]!, width: box[2]!, height: box[3]!, rotation });
  }
  for (const tool of ['polygon', 'polyline'] as const) {
    for (const annotation of media[tool] ?? []) {
      const points = pointsOf(annotation.data);
      const needed = tool === 'polygon' ? 3 : 2;
      if (points.length < needed) {
        skip(`${tool} ${annotation.id} has ${points.length} point(s), fewer than ${needed}; skipped`);
        continue;
      }
      result.shapes.push({ id: annotation.id, className: annotation.classification, points, closed: tool === 'polygon' });
    }
  }
  const poses = new Map<string, PoseObject>();
  for (const annotation of media.keypoint ?? []) {
    const point = numbers(annotation.data);
    if (point === undefined || point.length < 2) {
      skip(`keypoint ${annotation.id} has no [x, y]; skipped`);
      continue;
    }
    const instance = String(attr(annotation, 'instance') ?? '');
    let pose = poses.get(instance);
    if (pose === undefined) {
      pose = { instance, className: KEYPOINT_CATEGORY, points: [] };
      poses.set(instance, pose);
    }
    pose.points.push({ name: annotation.classification, x: point[0]!, y: point[1]!, visible: attr(annotation, 'visible') !== false });
  }
  result.poses = [...poses.values()];
  return result;
}

/** A box's outline: its four (rotated) corners. */
export function boxOutline(box: BoxObject): Point[] {
  return boxCorners(box.x, box.y, box.width, box.height, box.rotation);
}

function attr(annotation: DmV2Annotation, name: string): unknown {
  return annotation.attrs?.find((a) => a.name === name)?.value;
}

function numbers(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
  return value as number[];
}

function pointsOf(value: unknown): Point[] {
  if (!Array.isArray(value)) return [];
  const points: Point[] = [];
  for (const entry of value) {
    const pair = numbers(entry);
    if (pair !== undefined && pair.length >= 2) points.push([pair[0]!, pair[1]!]);
  }
  return points;
}

/**
 * Objects renamed and filtered by a class mapping (`--classes`, `--rename`): boxes, shapes and
 * keypoint objects by their class, so the `keypoints` category can be renamed too.
 */
export function mapObjects(objects: ImageObjects, mapper: (name: string) => string | undefined): ImageObjects {
  const rename = <T extends { className: string }>(list: T[]): T[] =>
    list.flatMap((object) => {
      const className = mapper(object.className);
      return className === undefined ? [] : [{ ...object, className }];
    });
  return { boxes: rename(objects.boxes), shapes: rename(objects.shapes), poses: rename(objects.poses) };
}

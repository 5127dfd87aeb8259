import type { ConvertInput } from '../shared/format-stage.js';
import { boundsOf, clamp, clipBox, polygonArea, type Box, type Point } from '../shared/geometry.js';
import { boxOutline, type ImageObjects } from '../shared/objects.js';

/** One object as COCO will hold it, before ids: its category is still a name. */
export interface CocoObject {
  category: string;
  segmentation: number[][];
  bbox: Box;
  area: number;
  /** Keypoint objects: part name → `[x, y, v]` (v 2 visible, 1 labelled but hidden). */
  keypoints?: Record<string, [number, number, number]>;
}

/** One image's COCO entries. */
export interface CocoImage {
  width: number;
  height: number;
  objects: CocoObject[];
}

/** Every object class COCO writes: boxes, polygons, polylines and keypoint objects. */
export function cocoClassNames(objects: ImageObjects): string[] {
  return [...objects.boxes.map((b) => b.className), ...objects.shapes.map((s) => s.className), ...objects.poses.map((p) => p.className)];
}

/** `[[x1, y1, x2, y2, …]]`: the reference's `poly_to_segmentation`. */
export function cocoSegmentation(points: readonly Point[]): number[][] {
  return [points.flatMap(([x, y]) => [x, y])];
}

/** `[x_min, y_min, width, height]`: the reference's `poly_to_bbox`. */
export function cocoBox(points: readonly Point[]): Box {
  return boundsOf(points) ?? [0, 0, 0, 0];
}

/**
 * One image's COCO objects: polygons and polylines as segmentation (area: the polygon's, or the
 * box's for a polyline, as the reference), boxes with an empty segmentation (a rotated box: its
 * four corners), keypoint objects with their parts. Every bbox and point is cut to the image.
 */
export function convertCoco(input: ConvertInput): CocoImage {
  const { objects, image, warn } = input;
  const { width, height } = image;
  const inside = (points: readonly Point[]): Point[] => points.map(([x, y]) => [clamp(x, 0, width), clamp(y, 0, height)]);
  const result: CocoObject[] = [];
  const keep = (label: string, object: CocoObject): void => {
    if (object.bbox[2] <= 0 && object.bbox[3] <= 0 && object.keypoints === undefined) {
      warn(`${label} lies outside the ${width}×${height} image; left out`);
      return;
    }
    result.push(object);
  };

  for (const shape of objects.shapes) {
    const points = inside(shape.points);
    const bbox = cocoBox(points);
    keep(`${shape.closed ? 'polygon' : 'polyline'} ${shape.id}`, {
      category: shape.className,
      segmentation: cocoSegmentation(points),
      bbox,
      area: shape.closed ? polygonArea(points) : bbox[2] * bbox[3],
    });
  }
  for (const box of objects.boxes) {
    const outline = boxOutline(box);
    const bbox = clipBox(cocoBox(outline), width, height);
    keep(`bounding box ${box.id}`, {
      category: box.className,
      segmentation: box.rotation === 0 ? [] : cocoSegmentation(inside(outline)),
      bbox,
      area: bbox[2] * bbox[3],
    });
  }
  for (const pose of objects.poses) {
    const points = inside(pose.points.map((p): Point => [p.x, p.y]));
    const bbox = cocoBox(points);
    const keypoints: Record<string, [number, number, number]> = {};
    pose.points.forEach((point, i) => {
      keypoints[point.name] = [points[i]![0], points[i]![1], point.visible ? 2 : 1];
    });
    keep(`keypoints of instance ${pose.instance || '(none)'}`, { category: pose.className, segmentation: [], bbox, area: bbox[2] * bbox[3], keypoints });
  }
  return { width, height, objects: result };
}

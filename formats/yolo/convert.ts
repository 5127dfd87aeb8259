import type { ConvertInput } from '../shared/format-stage.js';
import { boundsOf, clamp, clipBox, type Box, type Point } from '../shared/geometry.js';
import type { ClassList } from '../shared/class-list.js';
import { boxOutline, type ImageObjects } from '../shared/objects.js';

/** Ultralytics tasks: boxes, polygons, or keypoint objects. */
export type YoloTask = 'detect' | 'segment' | 'pose';

/** One image's label lines, as `labels/<stem>.txt` holds them. */
export interface YoloLabels {
  lines: string[];
}

/** The class names each task writes: objects with an area for detect/segment, keypoint objects for pose. */
export function yoloClassNames(task: YoloTask) {
  return (objects: ImageObjects): string[] =>
    task === 'pose'
      ? objects.poses.map((pose) => pose.className)
      : [...objects.boxes.map((box) => box.className), ...objects.shapes.filter((shape) => shape.closed).map((shape) => shape.className)];
}

/** A value normalised by `size`, clamped to [0, 1], with 6 decimals (the reference's format). */
export function normalised(value: number, size: number): string {
  return sixDecimals(clamp(value / size, 0, 1));
}

/**
 * `x` (≥ 0) with 6 decimals as Python's `f'{x:.6f}'` writes it. Both round the exact binary value;
 * they differ only on an exact tie, which JavaScript's `toFixed` rounds up and Python to even.
 * A tie needs a 7th decimal 5 with nothing after it, so `x` is a multiple of 1/128 (1/128 =
 * 0.0078125): `x * 128` is an integer (exactly: a power of two) and `toFixed(7)` is exact.
 */
export function sixDecimals(x: number): string {
  if (Number.isInteger(x * 128)) {
    const seven = x.toFixed(7);
    if (seven.endsWith('5')) {
      const down = seven.slice(0, -1);
      return Number(down.at(-1)) % 2 === 0 ? down : (Number(down) + 1e-6).toFixed(6);
    }
  }
  return x.toFixed(6);
}

/** `cx cy w h` of a pixel box, normalised (the reference's bbox line without the class). */
export function yoloBox([x, y, w, h]: Box, width: number, height: number): string {
  return `${normalised(x + w / 2, width)} ${normalised(y + h / 2, height)} ${normalised(w, width)} ${normalised(h, height)}`;
}

/** `x1 y1 x2 y2 …` normalised (the reference's `polygon_to_yolo_string`). */
export function yoloPolygon(points: readonly Point[], width: number, height: number): string {
  return points.map(([x, y]) => `${normalised(x, width)} ${normalised(y, height)}`).join(' ');
}

/** `x y v …` normalised, `v` as given (the reference's `keypoints_to_yolo_string`). */
export function yoloKeypoints(points: ReadonlyArray<readonly [number, number, number]>, width: number, height: number): string {
  return points.map(([x, y, v]) => (v === 0 ? '0.000000 0.000000 0' : `${normalised(x, width)} ${normalised(y, height)} ${v}`)).join(' ');
}

/**
 * One image's YOLO label lines for a task. Boxes are cut to the image (a rotated box by its
 * corners' bounds for detect, its four corners for segment); polylines have no area and are left
 * out; classes outside the list are left out and reported.
 */
export function convertYolo(input: ConvertInput, task: YoloTask, classes: ClassList): YoloLabels {
  const { objects, image, warn } = input;
  const { width, height } = image;
  const ids = new Map(classes.names.map((name, index) => [name, index]));
  const lines: string[] = [];
  const idOf = (name: string): number | undefined => {
    const id = ids.get(name);
    if (id === undefined) warn(`class ${JSON.stringify(name)} is not in the class list; its object is left out`);
    return id;
  };

  if (task === 'pose') {
    for (const pose of objects.poses) {
      const id = idOf(pose.className);
      if (id === undefined) continue;
      const box = clipBox(boundsOf(pose.points.map((p): Point => [p.x, p.y]))!, width, height);
      const byName = new Map(pose.points.map((p) => [p.name, p]));
      const points = classes.keypoints.map((name): [number, number, number] => {
        const point = byName.get(name);
        return point === undefined ? [0, 0, 0] : [point.x, point.y, point.visible ? 2 : 1];
      });
      lines.push(`${id} ${yoloBox(box, width, height)} ${yoloKeypoints(points, width, height)}`);
    }
    return { lines };
  }

  const regions: Array<{ className: string; outline: Point[]; label: string }> = [
    ...objects.boxes.map((box) => ({ className: box.className, outline: boxOutline(box), label: `bounding box ${box.id}` })),
    ...objects.shapes.filter((shape) => shape.closed).map((shape) => ({ className: shape.className, outline: shape.points, label: `polygon ${shape.id}` })),
  ];
  for (const region of regions) {
    const id = idOf(region.className);
    if (id === undefined) continue;
    const box = clipBox(boundsOf(region.outline)!, width, height);
    if (box[2] <= 0 || box[3] <= 0) {
      warn(`${region.label} lies outside the ${width}×${height} image or has no area; left out`);
      continue;
    }
    lines.push(task === 'detect' ? `${id} ${yoloBox(box, width, height)}` : `${id} ${yoloPolygon(region.outline, width, height)}`);
  }
  return { lines };
}

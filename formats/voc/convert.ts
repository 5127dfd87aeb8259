import type { ConvertInput } from '../shared/format-stage.js';
import { boundsOf, clipBox } from '../shared/geometry.js';
import { boxOutline, type ImageObjects } from '../shared/objects.js';

export interface VocObject {
  name: string;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** One image's VOC annotation, before it has a file name. */
export interface VocImage {
  width: number;
  height: number;
  depth: number;
  segmented: boolean;
  objects: VocObject[];
}

/** VOC writes bounding boxes only (as the reference). */
export function vocClassNames(objects: ImageObjects): string[] {
  return objects.boxes.map((box) => box.className);
}

/** Python's `round`: halves go to the even neighbour, so `int(round(x))` values match the reference. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * One image's VOC objects: each bounding box as integer pixel bounds (rounded as the reference
 * rounds), a rotated box by its corners' axis-aligned bounds, all cut to the image. `segmented`
 * says the image has segmentation annotations.
 */
export function convertVoc(input: ConvertInput): VocImage {
  const { objects, image, document, warn } = input;
  const result: VocObject[] = [];
  for (const box of objects.boxes) {
    const [x, y, w, h] = clipBox(boundsOf(boxOutline(box))!, image.width, image.height);
    const object = { name: box.className, xmin: roundHalfEven(x), ymin: roundHalfEven(y), xmax: roundHalfEven(x + w), ymax: roundHalfEven(y + h) };
    if (object.xmax <= object.xmin || object.ymax <= object.ymin) {
      warn(`bounding box ${box.id} lies outside the ${image.width}×${image.height} image or has no area; left out`);
      continue;
    }
    result.push(object);
  }
  const media = Array.isArray(document.images) ? document.images[0] : undefined;
  const segmented = (media?.segmentation?.length ?? 0) > 0;
  return { width: image.width, height: image.height, depth: image.channels ?? 3, segmented, objects: result };
}

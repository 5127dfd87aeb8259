import { describe, expect, it } from 'vitest';
import { convertCoco } from '../../../formats/coco/convert.js';
import { classList } from '../../../formats/shared/class-list.js';
import { convertYolo, type YoloTask } from '../../../formats/yolo/convert.js';
import type { DmV2Annotation } from '../../../transforms/dm/types.js';
import { annotation, convertInput, v2 } from '../helpers.js';

/** A small fixed-seed PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random shapes, many of them reaching past the image's edges. */
function randomImage(next: () => number) {
  const width = 1 + Math.floor(next() * 2000);
  const height = 1 + Math.floor(next() * 2000);
  const coordinate = (size: number) => (next() - 0.25) * size * 1.5;
  const boxes: DmV2Annotation[] = [];
  const polygons: DmV2Annotation[] = [];
  const keypoints: DmV2Annotation[] = [];
  for (let i = 0; i < 5; i += 1) {
    const attrs = next() < 0.5 ? [{ name: 'rotation', value: (next() - 0.5) * 2 * Math.PI }] : [];
    boxes.push(annotation(`b${i}`, next() < 0.5 ? 'a' : 'b', [coordinate(width), coordinate(height), next() * width, next() * height], attrs));
    polygons.push(annotation(`p${i}`, 'a', Array.from({ length: 3 + Math.floor(next() * 6) }, () => [coordinate(width), coordinate(height)])));
    keypoints.push(annotation(`k${i}`, `part${i}`, [coordinate(width), coordinate(height)], [{ name: 'instance', value: Math.floor(next() * 2) }]));
  }
  return { width, height, document: v2({ bounding_box: boxes, polygon: polygons, keypoint: keypoints }) };
}

describe('format value ranges over random shapes', () => {
  it('every YOLO value (detect, segment, pose) is a number within [0, 1]', () => {
    const next = random(42);
    const classes = classList(['a', 'b', 'keypoints'], ['part0', 'part1', 'part2', 'part3', 'part4']);
    let values = 0;
    const outside: string[] = [];
    for (let n = 0; n < 300; n += 1) {
      const { width, height, document } = randomImage(next);
      for (const task of ['detect', 'segment', 'pose'] as YoloTask[]) {
        for (const line of convertYolo(convertInput(document, width, height), task, classes).lines) {
          const [, ...fields] = line.split(' ');
          // Pose lines hold visibility flags (0, 1, 2) every third field after the box.
          const coordinates = task === 'pose' ? fields.filter((_, i) => i < 4 || (i - 4) % 3 !== 2) : fields;
          for (const field of coordinates) {
            const value = Number(field);
            if (!(value >= 0 && value <= 1)) outside.push(`${task}: ${line}`);
            values += 1;
          }
        }
      }
    }
    expect(outside).toEqual([]);
    expect(values).toBeGreaterThan(10_000);
  });

  it('every COCO bbox lies inside its image, with its segmentation', () => {
    const next = random(7);
    let boxes = 0;
    const outside: unknown[] = [];
    for (let n = 0; n < 300; n += 1) {
      const { width, height, document } = randomImage(next);
      for (const object of convertCoco(convertInput(document, width, height)).objects) {
        const [x, y, w, h] = object.bbox;
        const boxInside = x >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= width + 1e-9 && y + h <= height + 1e-9;
        const pointsInside = object.segmentation.every((polygon) => polygon.every((v, i) => v >= 0 && v <= (i % 2 === 0 ? width : height)));
        if (!boxInside || !pointsInside) outside.push({ width, height, object });
        boxes += 1;
      }
    }
    expect(outside).toEqual([]);
    expect(boxes).toBeGreaterThan(1000);
  });
});

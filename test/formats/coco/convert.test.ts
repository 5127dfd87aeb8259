import { describe, expect, it } from 'vitest';
import { cocoBox, cocoSegmentation, convertCoco } from '../../../formats/coco/convert.js';
import { annotation, convertInput, v2 } from '../helpers.js';

const square: Array<[number, number]> = [[0, 0], [10, 0], [10, 10], [0, 10]];

describe('COCO conversion (the reference converter cases, behaviour notes §13–14.1)', () => {
  it('square polygon → bbox [0, 0, 10, 10] and segmentation [[0,0,10,0,10,10,0,10]]', () => {
    expect(cocoBox(square)).toEqual([0, 0, 10, 10]);
    expect(cocoSegmentation(square)).toEqual([[0, 0, 10, 0, 10, 10, 0, 10]]);
  });

  it('converts the reference sample document (polyline, box, two keypoints) on a 1920×1080 image', () => {
    const document = v2({
      polyline: [annotation('e1ve10k7Cv', 'car', [[899, 392], [821, 505], [954, 598], [1142, 574], [1179, 663]], [{ name: 'color', value: 'red' }])],
      bounding_box: [annotation('bbox1', 'person', [100, 100, 200, 300])],
      keypoint: [annotation('kp1', 'nose', [150, 200]), annotation('kp2', 'eye', [160, 180])],
    });
    const { objects, width, height } = convertCoco(convertInput(document, 1920, 1080));
    expect([width, height]).toEqual([1920, 1080]);
    expect(objects[0]).toEqual({ category: 'car', segmentation: [[899, 392, 821, 505, 954, 598, 1142, 574, 1179, 663]], bbox: [821, 392, 358, 271], area: 97018 });
    expect(objects[1]).toEqual({ category: 'person', segmentation: [], bbox: [100, 100, 200, 300], area: 60000 });
    // Grouped into one object of the `keypoints` category, as the reference; its area is the
    // box's (the reference writes 0, which COCO's keypoint evaluation cannot scale by).
    expect(objects[2]).toEqual({ category: 'keypoints', segmentation: [], bbox: [150, 180, 10, 20], area: 200, keypoints: { nose: [150, 200, 2], eye: [160, 180, 2] } });
  });

  it('converts polygons too (the reference drops them), with the polygon area', () => {
    const { objects } = convertCoco(convertInput(v2({ polygon: [annotation('p', 'road', square)] }), 100, 100));
    expect(objects).toEqual([{ category: 'road', segmentation: [[0, 0, 10, 0, 10, 10, 0, 10]], bbox: [0, 0, 10, 10], area: 100 }]);
  });

  it('gives a rotated box its bounds cut to the image and its corners as segmentation', () => {
    const { objects } = convertCoco(convertInput(v2({ bounding_box: [annotation('b', 'car', [0, 0, 20, 10], [{ name: 'rotation', value: Math.PI / 2 }])] }), 100, 100));
    const [x, y, w, h] = objects[0]!.bbox;
    expect([x, y, w, h].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([5, 0, 10, 15]);
    expect(objects[0]!.segmentation[0]).toHaveLength(8);
  });

  it('leaves out a box entirely outside the image, and says so', () => {
    const warnings: string[] = [];
    const { objects } = convertCoco(convertInput(v2({ bounding_box: [annotation('far', 'car', [500, 500, 10, 10])] }), 100, 100, warnings));
    expect(objects).toEqual([]);
    expect(warnings).toEqual(['bounding box far lies outside the 100×100 image; left out']);
  });
});

import { describe, expect, it } from 'vitest';
import { convertYolo, sixDecimals, yoloBox, yoloKeypoints, yoloPolygon } from '../../../formats/yolo/convert.js';
import { classList } from '../../../formats/shared/class-list.js';
import { annotation, convertInput, v2 } from '../helpers.js';

const square: Array<[number, number]> = [[0, 0], [10, 0], [10, 10], [0, 10]];

describe('YOLO conversion (the reference converter cases, behaviour notes §14.2)', () => {
  it('bbox [0, 0, 100, 100] of class car on 1000×1000 → "0 0.050000 0.050000 0.100000 0.100000"', () => {
    const document = v2({ bounding_box: [annotation('b', 'car', [0, 0, 100, 100])] });
    expect(convertYolo(convertInput(document, 1000, 1000), 'detect', classList(['car'])).lines).toEqual(['0 0.050000 0.050000 0.100000 0.100000']);
  });

  it('square polygon on 100×100 → the reference polygon string', () => {
    expect(yoloPolygon(square, 100, 100)).toBe('0.000000 0.000000 0.100000 0.000000 0.100000 0.100000 0.000000 0.100000');
  });

  it('square polygon bounds → centre (5, 5), size 10×10', () => {
    expect(yoloBox([0, 0, 10, 10], 100, 100)).toBe('0.050000 0.050000 0.100000 0.100000');
  });

  it('keypoints [[100,200,2],[300,400,1]] on 1000×1000 → the reference keypoint string', () => {
    expect(yoloKeypoints([[100, 200, 2], [300, 400, 1]], 1000, 1000)).toBe('0.100000 0.200000 2 0.300000 0.400000 1');
  });

  it("writes 6 decimals as Python's f'{x:.6f}' does, ties to even included", () => {
    // Python: 0.507812 0.023438 0.539062 0.476562; toFixed alone gives …813, …438, …063, …563.
    expect([0.5078125, 0.0234375, 0.5390625, 0.4765625].map(sixDecimals)).toEqual(['0.507812', '0.023438', '0.539062', '0.476562']);
    expect([0, 1, 0.1, 1 / 3, 0.9999995].map(sixDecimals)).toEqual(['0.000000', '1.000000', '0.100000', '0.333333', '1.000000']);
  });

  it('writes a polygon as its bounds for detect and as its points for segment; polylines are left out', () => {
    const document = v2({ polygon: [annotation('p', 'road', square)], polyline: [annotation('l', 'lane', [[0, 0], [5, 5]])] });
    const classes = classList(['road']);
    expect(convertYolo(convertInput(document, 100, 100), 'detect', classes).lines).toEqual(['0 0.050000 0.050000 0.100000 0.100000']);
    expect(convertYolo(convertInput(document, 100, 100), 'segment', classes).lines).toEqual(['0 0.000000 0.000000 0.100000 0.000000 0.100000 0.100000 0.000000 0.100000']);
  });

  it('writes pose objects: box around the keypoints, then every keypoint name in order (missing ones as 0 0 0)', () => {
    const document = v2({
      keypoint: [
        annotation('a', 'nose', [100, 200], [{ name: 'instance', value: 1 }]),
        annotation('b', 'tail', [300, 400], [{ name: 'instance', value: 1 }, { name: 'visible', value: false }]),
        annotation('c', 'nose', [500, 500], [{ name: 'instance', value: 2 }]),
      ],
    });
    const lines = convertYolo(convertInput(document, 1000, 1000), 'pose', classList(['keypoints'], ['eye', 'nose', 'tail'])).lines;
    expect(lines).toEqual([
      '0 0.200000 0.300000 0.200000 0.200000 0.000000 0.000000 0 0.100000 0.200000 2 0.300000 0.400000 1',
      '0 0.500000 0.500000 0.000000 0.000000 0.000000 0.000000 0 0.500000 0.500000 2 0.000000 0.000000 0',
    ]);
  });

  it('clamps to [0, 1] and leaves out boxes outside the image or classes outside the list, with a warning', () => {
    const warnings: string[] = [];
    const document = v2({ bounding_box: [annotation('edge', 'car', [-10, -10, 30, 30]), annotation('out', 'car', [200, 200, 5, 5]), annotation('x', 'tree', [0, 0, 5, 5])] });
    const lines = convertYolo(convertInput(document, 100, 100, warnings), 'detect', classList(['car'])).lines;
    expect(lines).toEqual(['0 0.100000 0.100000 0.200000 0.200000']);
    expect(warnings).toHaveLength(2);
  });
});

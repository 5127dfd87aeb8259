import { describe, expect, it } from 'vitest';
import { convertVoc, roundHalfEven } from '../../../formats/voc/convert.js';
import { vocXml } from '../../../formats/voc/xml.js';
import { annotation, convertInput, v2 } from '../helpers.js';

describe('Pascal VOC conversion (the reference converter cases, behaviour notes §14.3)', () => {
  it('two boxes → two objects with integer bounds, not segmented', () => {
    const document = v2({ bounding_box: [annotation('a', 'car', [10, 20, 30, 40]), annotation('b', 'person', [50, 60, 70, 80])] });
    const image = convertVoc(convertInput(document, 200, 200));
    expect(image.objects).toEqual([
      { name: 'car', xmin: 10, ymin: 20, xmax: 40, ymax: 60 },
      { name: 'person', xmin: 50, ymin: 60, xmax: 120, ymax: 140 },
    ]);
    expect(image.segmented).toBe(false);
  });

  it('a segmentation annotation makes the image segmented', () => {
    const document = v2({ bounding_box: [annotation('a', 'car', [10, 20, 30, 40])], segmentation: [annotation('s', 'car', [1, 2, 3])] });
    expect(convertVoc(convertInput(document, 100, 100)).segmented).toBe(true);
  });

  it('no boxes → no objects', () => {
    expect(convertVoc(convertInput(v2({}), 100, 100)).objects).toEqual([]);
  });

  it('a rotated box becomes its axis-aligned bounds, cut to the image', () => {
    const document = v2({ bounding_box: [annotation('r', 'car', [80, 0, 40, 20], [{ name: 'rotation', value: Math.PI / 2 }])] });
    // Rotated 90° about (100, 10): x 90..110, y -10..30 → cut to 100×100: 90..100, 0..30.
    expect(convertVoc(convertInput(document, 100, 100)).objects).toEqual([{ name: 'car', xmin: 90, ymin: 0, xmax: 100, ymax: 30 }]);
  });

  it('rounds halves to even, as Python does', () => {
    expect([0.5, 1.5, 2.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 2, 3]);
  });

  it("builds the reference's XML: test.jpg, 100×200×3, one car 10,20,50,60", () => {
    const xml = vocXml('test.jpg', { width: 100, height: 200, depth: 3, segmented: false, objects: [{ name: 'car', xmin: 10, ymin: 20, xmax: 50, ymax: 60 }] });
    const order = [...xml.matchAll(/<(\w+)>/g)].map((m) => m[1]);
    expect(order).toEqual(['annotation', 'folder', 'filename', 'path', 'source', 'database', 'size', 'width', 'height', 'depth', 'segmented', 'object', 'name', 'pose', 'truncated', 'difficult', 'bndbox', 'xmin', 'ymin', 'xmax', 'ymax']);
    expect(xml).toContain('<filename>test.jpg</filename>');
    expect(xml).toContain('<width>100</width>');
    expect(xml).toContain('<name>car</name>');
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  });

  it('escapes class and file names', () => {
    expect(vocXml('a&b.jpg', { width: 1, height: 1, depth: 3, segmented: false, objects: [{ name: '<x>', xmin: 0, ymin: 0, xmax: 1, ymax: 1 }] })).toContain('<name>&lt;x&gt;</name>');
  });
});

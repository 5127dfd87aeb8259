import { describe, expect, it } from 'vitest';
import { classMapper, mapDocumentClasses, parseRenames } from '../../transforms/classes.js';
import { convertV1ToV2 } from '../../transforms/dm/v1-to-v2.js';
import type { DmV1Document } from '../../transforms/dm/types.js';

const doc: DmV1Document = {
  annotations: {
    image_1: [
      { id: 'a', tool: 'bounding_box', classification: { class: 'pedestrian', pose: 'walking' } },
      { id: 'b', tool: 'bounding_box', classification: { class: 'car' } },
      { id: 'c', tool: 'bounding_box', classification: { class: 'tree' } },
      { id: 'k', tool: 'keypoint', classification: { class: 'nose' } },
    ],
  },
  annotationsData: {
    image_1: [
      { id: 'a', coordinate: { x: 0, y: 0, width: 1, height: 1 } },
      { id: 'b', coordinate: { x: 0, y: 0, width: 1, height: 1 } },
      { id: 'c', coordinate: { x: 0, y: 0, width: 1, height: 1 } },
      { id: 'k', coordinate: { x: 0, y: 0 } },
    ],
  },
};

describe('class filter and rename', () => {
  const mapper = classMapper({ keep: ['person', 'car'], rename: { pedestrian: 'person' } });

  it('renames, then keeps only the listed classes, in a v1 document (annotations and their geometry)', () => {
    const mapped = mapDocumentClasses(doc, mapper);
    expect(mapped.annotations!.image_1!.map((a) => [a.id, a.classification!.class])).toEqual([['a', 'person'], ['b', 'car'], ['k', 'nose']]);
    expect(mapped.annotations!.image_1![0]!.classification!.pose).toBe('walking');
    expect(mapped.annotationsData!.image_1!.map((d) => d.id)).toEqual(['a', 'b', 'k']);
  });

  it('does the same in a v2 document and rebuilds its class summary', () => {
    const mapped = mapDocumentClasses(convertV1ToV2(doc), mapper);
    expect(mapped.classification).toEqual({ bounding_box: ['person', 'car'], keypoint: ['nose'] });
  });

  it('merges two classes into one', () => {
    const merge = classMapper({ rename: parseRenames(['pedestrian=person', 'tree=person']) });
    const mapped = mapDocumentClasses(convertV1ToV2(doc), merge);
    expect(mapped.classification.bounding_box).toEqual(['person', 'car']);
  });

  it('refuses a rename without "="', () => {
    expect(() => parseRenames(['pedestrian'])).toThrow(/old=new/);
  });
});

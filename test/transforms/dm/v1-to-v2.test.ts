import { describe, expect, it } from 'vitest';
import { convertV1ToV2, isDmV2, mediaTypeOf } from '../../../transforms/dm/v1-to-v2.js';
import type { DmV1Document } from '../../../transforms/dm/types.js';

/** A v1 document with one media id holding the given annotations and geometry. */
function v1(mediaId: string, entries: Array<{ annotation: Record<string, unknown>; data: Record<string, unknown> }>): DmV1Document {
  return {
    extra: { [mediaId]: {} },
    relations: { [mediaId]: [] },
    annotations: { [mediaId]: entries.map((e) => e.annotation as never) },
    annotationsData: { [mediaId]: entries.map((e) => e.data as never) },
    annotationGroups: { [mediaId]: [] },
  };
}

const ann = (id: string, tool: string, classification: Record<string, unknown>) => ({ id, tool, isLocked: false, isVisible: true, classification });

describe('convertV1ToV2 (the reference converter cases, behaviour notes §13–14.5)', () => {
  it('turns empty input into an empty classification summary', () => {
    expect(convertV1ToV2({})).toEqual({ classification: {} });
    expect(convertV1ToV2(null)).toEqual({ classification: {} });
  });

  it('converts the image fixture 25669: polygon, polyline, bounding box, keypoint, segmentation', () => {
    const polyline = [[990, 834], [1010, 820], [1030, 810], [1050, 800], [1070, 790], [1090, 780], [1110, 770]];
    const doc = v1('image_1', [
      { annotation: ann('I5i-w35Bsg', 'polygon', { class: 'polygon__attributes' }), data: { id: 'I5i-w35Bsg', coordinate: [[228, 962], [275, 553], [743, 621], [505, 1111]].map(([x, y], i) => ({ x, y, id: `p${i}` })) } },
      { annotation: ann('2w1dsVleoo', 'polyline', { class: 'polyline' }), data: { id: '2w1dsVleoo', coordinate: polyline.map(([x, y], i) => ({ x, y, id: `q${i}` })) } },
      { annotation: ann('WDHHkCvwOv', 'bounding_box', { class: 'bounding_box' }), data: { id: 'WDHHkCvwOv', coordinate: { x: 296, y: 161, width: 349, height: 315 } } },
      { annotation: { ...ann('cdv5pXK9Ui', 'keypoint', { class: 'keypoint' }), shape: 'circle' }, data: { id: 'cdv5pXK9Ui', coordinate: { x: 896, y: 1230 } } },
      { annotation: ann('pPDtBInDeV', 'segmentation', { class: 'segmentation' }), data: { id: 'pPDtBInDeV', pixel_indices: [1667753, 1667754, 1667765] } },
    ]);
    const v2 = convertV1ToV2(doc);
    expect(Object.keys(v2.classification)).toEqual(['polygon', 'polyline', 'bounding_box', 'keypoint', 'segmentation']);
    expect(v2.images).toEqual([
      {
        polygon: [{ id: 'I5i-w35Bsg', classification: 'polygon__attributes', attrs: [], data: [[228, 962], [275, 553], [743, 621], [505, 1111]] }],
        polyline: [{ id: '2w1dsVleoo', classification: 'polyline', attrs: [], data: polyline }],
        bounding_box: [{ id: 'WDHHkCvwOv', classification: 'bounding_box', attrs: [], data: [296, 161, 349, 315] }],
        keypoint: [{ id: 'cdv5pXK9Ui', classification: 'keypoint', attrs: [], data: [896, 1230] }],
        segmentation: [{ id: 'pPDtBInDeV', classification: 'segmentation', attrs: [], data: [1667753, 1667754, 1667765] }],
      },
    ]);
  });

  it('moves a bounding box rotation into attrs, after the classification attributes', () => {
    const v2 = convertV1ToV2(v1('image_1', [{ annotation: ann('b', 'bounding_box', { class: 'car', color: 'red' }), data: { id: 'b', coordinate: { x: 100, y: 200, width: 50, height: 75, rotation: 0.35 } } }]));
    expect(v2.images).toEqual([{ bounding_box: [{ id: 'b', classification: 'car', attrs: [{ name: 'color', value: 'red' }, { name: 'rotation', value: 0.35 }], data: [100, 200, 50, 75] }] }]);
  });

  it('converts text: named entity and classification (fixture 23811)', () => {
    const ranges = [{ end: '/p[1]', start: '/p[1]', endOffset: 33, startOffset: 22 }];
    const v2 = convertV1ToV2(
      v1('text_1', [
        { annotation: ann('HMPbWKsbZs', 'named_entity', { class: 'entity' }), data: { id: 'HMPbWKsbZs', ranges, content: 'A, 징역 6월·집행' } },
        { annotation: ann('lIrwyXW9sL', 'classification', { class: 'doc', text: 't', single_radio: 'a', multiple: ['x'] }), data: { id: 'lIrwyXW9sL' } },
      ]),
    );
    const texts = v2.texts as Array<Record<string, Array<{ data: unknown; attrs: unknown[] }>>>;
    expect(texts[0]!.named_entity![0]!.data).toEqual({ ranges, content: 'A, 징역 6월·집행' });
    expect(texts[0]!.classification![0]!.data).toEqual({});
    expect(texts[0]!.classification![0]!.attrs).toHaveLength(3);
  });

  it('converts video segmentation sections (fixture 23831)', () => {
    const v2 = convertV1ToV2(v1('video_1', [{ annotation: ann('N_VG-a4_rX', 'segmentation', { class: 'segmentation2', d: ['a'] }), data: { id: 'N_VG-a4_rX', section: { endFrame: 17516, startFrame: 9 } } }]));
    expect(v2.classification.segmentation).toEqual(['segmentation2']);
    expect(v2.videos).toEqual([{ segmentation: [{ id: 'N_VG-a4_rX', classification: 'segmentation2', attrs: [{ name: 'd', value: ['a'] }], data: { endFrame: 17516, startFrame: 9 } }] }]);
  });

  it('converts point clouds: 3d bounding box and 3d segmentation (fixture 23791)', () => {
    const psr = { position: { x: 0.9659228324890137, y: 0, z: 0 }, scale: { x: 25.914079308509823, y: 1, z: 1 }, rotation: { x: 0, y: 0, z: 1.5707963267948966 } };
    const v2 = convertV1ToV2(
      v1('pcd_1', [
        { annotation: ann('fuTDKAmbYu', '3d_bounding_box', { class: 'cuboid' }), data: { id: 'fuTDKAmbYu', psr } },
        { annotation: ann('seg3d', '3d_segmentation', { class: 'ground' }), data: { id: 'seg3d', points: [1, 2, 3] } },
      ]),
    );
    expect(v2.classification['3d_bounding_box']).toEqual(['cuboid']);
    const pcds = v2.pcds as Array<Record<string, Array<{ data: unknown }>>>;
    expect(pcds[0]!['3d_bounding_box']![0]!.data).toEqual(psr);
    expect(pcds[0]!['3d_segmentation']![0]!.data).toEqual([1, 2, 3]);
  });

  it('converts prompt, answer and relation', () => {
    const v2 = convertV1ToV2(
      v1('prompt_1', [
        { annotation: ann('p1', 'prompt', { class: 'prompt' }), data: { id: 'p1', input: 'What is shown?' } },
        { annotation: ann('a1', 'answer', { class: 'answer' }), data: { id: 'a1', output: 'A cat.' } },
        { annotation: ann('YJBNFvqv6j', 'classification', { class: 'classification_attributes' }), data: { id: 'YJBNFvqv6j' } },
        { annotation: ann('r1', 'relation', { class: 'asks' }), data: { id: 'r1', annotationId: 'p1', targetAnnotationId: 'a1' } },
      ]),
    );
    const prompts = v2.prompts as Array<Record<string, Array<{ data: unknown }>>>;
    expect(prompts[0]!.prompt![0]!.data).toEqual({ input: 'What is shown?' });
    expect(prompts[0]!.answer![0]!.data).toEqual({ output: 'A cat.' });
    expect(prompts[0]!.relation![0]!.data).toEqual(['p1', 'a1']);
    expect(v2.classification.classification).toEqual(['classification_attributes']);
  });

  it('pluralises media types by the id prefix', () => {
    expect(['image_1', 'video_123', 'pcd_456', 'text_789'].map(mediaTypeOf)).toEqual(['images', 'videos', 'pcds', 'texts']);
  });

  it('reports an unknown tool with the annotation and skips it, keeping the rest', () => {
    const seen: string[] = [];
    const v2 = convertV1ToV2(
      v1('image_1', [
        { annotation: ann('u', 'unknown_tool', { class: 'x' }), data: { id: 'u' } },
        { annotation: ann('b', 'bounding_box', { class: 'car' }), data: { id: 'b', coordinate: { x: 1, y: 2, width: 3, height: 4 } } },
      ]),
      { itemId: 7, onUnknownTool: (tool, id) => seen.push(`${tool}:${id}`) },
    );
    expect(seen).toEqual(['unknown_tool:u']);
    expect(Object.keys((v2.images as object[])[0]!)).toEqual(['bounding_box']);
  });

  it('gives two media ids two elements, and de-duplicates the summary but keeps both boxes', () => {
    const box = (id: string) => ({ annotation: ann(id, 'bounding_box', { class: 'car' }), data: { id, coordinate: { x: 0, y: 0, width: 1, height: 1 } } });
    const doc: DmV1Document = {
      annotations: { image_1: [box('a').annotation, box('b').annotation] as never, image_2: [box('c').annotation] as never },
      annotationsData: { image_1: [box('a').data, box('b').data] as never, image_2: [box('c').data] as never },
    };
    const v2 = convertV1ToV2(doc);
    expect(v2.classification.bounding_box).toEqual(['car']);
    expect(v2.images).toHaveLength(2);
    expect((v2.images as Array<{ bounding_box: unknown[] }>)[0]!.bounding_box).toHaveLength(2);
  });

  it('tells v2 documents from v1', () => {
    expect(isDmV2({ classification: {}, images: [] })).toBe(true);
    expect(isDmV2({ annotations: {}, annotationsData: {} })).toBe(false);
    expect(isDmV2(null)).toBe(false);
  });
});

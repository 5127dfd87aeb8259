import { describe, expect, it } from 'vitest';
import { toRecords } from '../../../lib/exporter/to-records.js';
import { validateDmDocument } from '../../../transforms/dm/validate.js';
import { validateDm } from '../../../transforms/dm/validate-dm.js';
import { collect } from '../../helpers/records.js';
import { readFile } from 'node:fs/promises';

const sample = (await readFile('examples/sample-dataset/items.jsonl', 'utf8')).trim().split('\n').map((line) => JSON.parse(line));

const itemWith = (data: unknown) => ({ id: 'x1', files: {}, data });

describe('DM validation', () => {
  it('accepts every sample document, null data, unknown keys and v2 documents', () => {
    for (const item of sample) expect(() => validateDmDocument(item)).not.toThrow();
    expect(() => validateDmDocument(itemWith({ annotations: {}, somethingNew: 1 }))).not.toThrow();
    expect(() => validateDmDocument(itemWith({ classification: { bounding_box: ['a'] }, images: [{ bounding_box: [{ id: 'b', classification: 'a', attrs: [], data: [1, 2, 3, 4] }] }] }))).not.toThrow();
  });

  it('names the item and the JSON path of the problem', () => {
    expect(() => validateDmDocument(itemWith({ annotations: { image_1: [{ id: 'a', tool: 7 }] } }))).toThrow('item x1: data.annotations.image_1[0].tool:');
    const badBox = {
      annotations: { image_1: [{ id: 'a', tool: 'bounding_box', classification: { class: 'car' } }] },
      annotationsData: { image_1: [{ id: 'a', coordinate: { x: 1, y: 'two', width: 3, height: 4 } }] },
    };
    expect(() => validateDmDocument(itemWith(badBox))).toThrow(/item x1: data\.annotationsData\.image_1\[0\]\.coordinate.*\(bounding_box a\)/);
    expect(() => validateDmDocument(itemWith({ classification: {}, images: [{ polygon: [{ id: 'p', attrs: [] }] }] }))).toThrow('item x1: data.images[0].polygon[0].classification:');
    expect(() => validateDmDocument(itemWith([1, 2]))).toThrow('item x1: data: expected a DM document');
  });

  it('fails only the bad item in a stream', async () => {
    const out = await collect(toRecords([sample[0], itemWith({ annotations: { image_1: 'no' } }), sample[1]]), validateDm());
    expect(out.map((r) => r.status)).toEqual(['pending', 'failed', 'pending']);
    expect(out[1]!.failure).toMatchObject({ code: 'ERR_DM_INVALID', step: 'validateDm' });
  });
});

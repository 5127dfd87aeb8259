import { describe, expect, it } from 'vitest';
import { toRecords } from '../../../lib/exporter/to-records.js';
import { dmToV2 } from '../../../transforms/dm/dm-to-v2.js';
import { collect } from '../../helpers/records.js';

const withTool = (id: number, tool: string) => ({
  id,
  files: {},
  data: {
    extra: { image_1: { width: 40, height: 30 } },
    annotations: { image_1: [{ id: 'a', tool, classification: { class: 'x' } }] },
    annotationsData: { image_1: [{ id: 'a' }] },
  },
});

describe('dmToV2 stage', () => {
  it('normalises v1 items, carries the image size to files, and passes v2 and null data through', async () => {
    const v2 = { classification: {}, images: [] };
    const out = await collect(toRecords([withTool(1, 'classification'), { id: 2, data: v2, files: {} }, { id: 3, data: null, files: {} }]), ...dmToV2());
    expect(out.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    expect(out[0]!.item!.data).toEqual({ classification: { classification: ['x'] }, images: [{ classification: [{ id: 'a', classification: 'x', attrs: [], data: {} }] }] });
    expect(out[0]!.item!.files).toEqual({ width: 40, height: 30 });
    expect(out[1]!.item!.data).toBe(v2);
    expect(out[2]!.item!.data).toBeNull();
  });

  it('reports each unknown tool once, naming the first item that has it', async () => {
    const warnings: string[] = [];
    const items = [withTool(1, 'cuboid'), withTool(2, 'cuboid'), withTool(3, 'brush')];
    const out = await collect(toRecords(items), ...dmToV2({ onWarning: (m) => warnings.push(m) }));
    expect(out.every((r) => r.status === 'pending')).toBe(true);
    expect(warnings).toEqual([
      "Unknown tool type 'cuboid' (first seen in item 1); its annotations are skipped",
      "Unknown tool type 'brush' (first seen in item 3); its annotations are skipped",
    ]);
  });
});

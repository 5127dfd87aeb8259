import { describe, expect, it } from 'vitest';

import { syntheticSource } from '../../lib/sources/synthetic.js';
import type { ExportItem } from '../../lib/types.js';
import { collect } from './helpers.js';

async function itemsOf(options: Parameters<typeof syntheticSource>[0]): Promise<ExportItem[]> {
  return (await collect(syntheticSource(options).items())) as ExportItem[];
}

describe('syntheticSource', () => {
  it('yields identical items for the same options, across calls of items() and sources', async () => {
    const source = syntheticSource({ count: 20, seed: 42 });
    const first = await collect(source.items());
    const second = await collect(source.items());
    expect(first).toHaveLength(20);
    expect(second).toEqual(first);
    expect(await itemsOf({ count: 20, seed: 42 })).toEqual(first);
  });

  it('gives different data for a different seed, with the same ids', async () => {
    const a = await itemsOf({ count: 5, seed: 1 });
    const b = await itemsOf({ count: 5, seed: 2 });
    expect(b.map((item) => item.id)).toEqual(a.map((item) => item.id));
    expect(b.map((item) => item.data)).not.toEqual(a.map((item) => item.data));
  });

  it('reports its count without generating items', async () => {
    expect(await syntheticSource({ count: 1234 }).count?.()).toBe(1234);
    expect(await syntheticSource({ count: 0 }).count?.()).toBe(0);
    expect(await itemsOf({ count: 0 })).toEqual([]);
    expect(await itemsOf({ count: 7 })).toHaveLength(7);
  });

  it('numbers ids from firstId, and from 1 by default, naming files after them', async () => {
    const items = await itemsOf({ count: 3, firstId: 100 });
    expect(items.map((item) => item.id)).toEqual([100, 101, 102]);
    expect(items[0]!.files).toEqual({ file_name_original: 'item_00000100.jpg' });
    expect((await itemsOf({ count: 2 })).map((item) => item.id)).toEqual([1, 2]);
  });

  it('gives an item the same data whichever range it is generated in', async () => {
    const whole = await itemsOf({ count: 10 });
    const tail = await itemsOf({ count: 5, firstId: 6 });
    expect(tail).toEqual(whole.slice(5));
  });

  it('makes DM v1 items of about 2–3 KB with the default annotationsPerItem', async () => {
    const items = await itemsOf({ count: 200 });
    for (const item of items) {
      const size = Buffer.byteLength(JSON.stringify(item), 'utf8');
      expect(size).toBeGreaterThanOrEqual(2000);
      expect(size).toBeLessThanOrEqual(3000);
    }
    const data = items[0]!.data as { annotations: { image_1: unknown[] }; annotationsData: { image_1: unknown[] } };
    expect(data.annotations.image_1).toHaveLength(8);
    expect(data.annotationsData.image_1).toHaveLength(8);
  });

  it('scales with annotationsPerItem and attaches mediaPath when given', async () => {
    const [small] = await itemsOf({ count: 1, annotationsPerItem: 1 });
    const [large] = await itemsOf({ count: 1, annotationsPerItem: 32 });
    expect(JSON.stringify(small).length).toBeLessThan(1000);
    expect(JSON.stringify(large).length).toBeGreaterThan(8000);
    const [withMedia] = await itemsOf({ count: 1, mediaPath: '/data/img.jpg' });
    expect(withMedia!.files).toEqual({ file_name_original: 'item_00000001.jpg', path: '/data/img.jpg' });
  });
});

import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { isItemSource, toItemSource, type ItemSource, type SourceInput } from '../../lib/sources/item-source.js';
import { collect } from './helpers.js';

const items = [
  { id: 1, data: {}, files: {} },
  { id: 2, data: { a: 1 }, files: { path: 'x.jpg' } },
];

describe('toItemSource', () => {
  it('accepts an array', async () => {
    const source = toItemSource(items);
    expect(isItemSource(source)).toBe(true);
    expect(await collect(source.items())).toEqual(items);
  });

  it('accepts an async generator', async () => {
    async function* generate(): AsyncGenerator<unknown> {
      for (const item of items) {
        await Promise.resolve();
        yield item;
      }
    }
    expect(await collect(toItemSource(generate()).items())).toEqual(items);
  });

  it('accepts an object-mode Readable', async () => {
    const stream = Readable.from(items);
    expect(stream.readableObjectMode).toBe(true);
    const source = toItemSource(stream);
    expect(source.description).toBe('stream');
    expect(await collect(source.items())).toEqual(items);
  });

  it('returns an ItemSource as it is', () => {
    const source: ItemSource = { items: () => items, baseDirectory: '/data', description: 'mine' };
    expect(toItemSource(source)).toBe(source);
  });

  it('rejects a number, a string and null with a TypeError', () => {
    for (const bad of [42, 'items.jsonl', null, undefined]) {
      expect(() => toItemSource(bad as unknown as SourceInput)).toThrow(TypeError);
      expect(() => toItemSource(bad as unknown as SourceInput)).toThrow(/source must be an ItemSource/);
    }
  });

  it('rejects a plain object without items()', () => {
    expect(() => toItemSource({ id: 1 } as unknown as SourceInput)).toThrow(TypeError);
  });
});

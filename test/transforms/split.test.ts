import { describe, expect, it } from 'vitest';
import { parseSplit, splitOf } from '../../transforms/split.js';

describe('deterministic split', () => {
  it('puts the same id in the same split every time, whatever the order', () => {
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    const first = ids.map((id) => splitOf(id, [0.8, 0.1, 0.1]));
    const again = [...ids].reverse().map((id) => splitOf(id, [0.8, 0.1, 0.1])).reverse();
    expect(again).toEqual(first);
  });

  it('follows the ratios over many ids', () => {
    const counts = { train: 0, val: 0, test: 0 };
    for (let id = 0; id < 20_000; id += 1) counts[splitOf(`item-${id}`, [0.8, 0.1, 0.1])] += 1;
    expect(counts.train / 20_000).toBeGreaterThan(0.78);
    expect(counts.train / 20_000).toBeLessThan(0.82);
    expect(counts.val / 20_000).toBeGreaterThan(0.08);
    expect(counts.test / 20_000).toBeGreaterThan(0.08);
  });

  it('never picks an empty split', () => {
    for (let id = 0; id < 1000; id += 1) expect(splitOf(id, [1, 0])).toBe('train');
  });

  it('parses ratios and refuses bad ones', () => {
    expect(parseSplit('0.8,0.1,0.1')).toEqual([0.8, 0.1, 0.1]);
    expect(() => parseSplit('0.8,0.3')).toThrow(/adding up to 1/);
    expect(() => parseSplit('1')).toThrow();
    expect(() => parseSplit('a,b')).toThrow();
  });
});

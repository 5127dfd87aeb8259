import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ItemIdSet } from '../lib/item-id-set.js';

describe('ItemIdSet', () => {
  it('answers as a Set of (type, value) would, for any mix of dense, sparse, huge, negative, fractional and string ids', () => {
    const id = fc.oneof(
      fc.integer({ min: 0, max: 2_000 }),
      fc.integer({ min: 0, max: 2 ** 33 }),
      fc.constantFrom(2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 1 << 20, (1 << 20) + 1),
      fc.integer({ min: -50, max: -1 }),
      fc.double({ min: 0, max: 100, noNaN: true }),
      fc.string({ maxLength: 6 }),
      fc.integer({ min: 0, max: 50 }).map(String),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 300 }), (ids) => {
        const set = new ItemIdSet();
        const reference = new Set<string>();
        for (const value of ids) {
          const key = `${typeof value}:${String(value)}`;
          expect(set.add(value)).toBe(!reference.has(key));
          reference.add(key);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('notices an id repeated after it moved from the hashed side to the bit array’s range', () => {
    const set = new ItemIdSet();
    const sparse = 5_000_000;
    expect(set.add(sparse)).toBe(true);
    // A hundred thousand ids later, 5,000,000 is within the bit array's reach.
    for (let id = 1; id <= 100_000; id += 1) expect(set.add(id)).toBe(true);
    expect(set.add(sparse)).toBe(false);
    expect(set.add(String(sparse))).toBe(true);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonArray } from '../../lib/sources/json-array.js';
import { parseJsonLines } from '../../lib/sources/jsonl.js';
import { collect } from './helpers.js';

// JSON values as items carry them: nested objects, arrays, Unicode strings, numbers.
const item = fc.record({
  id: fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 8 })),
  data: fc.jsonValue({ maxDepth: 4 }),
  files: fc.record({ file_name_original: fc.string({ unit: 'grapheme', maxLength: 12 }) }),
});

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(start, point));
    start = point;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

async function* chunks(pieces: Buffer[]): AsyncGenerator<Buffer> {
  yield* pieces;
}

describe('JSON sources (property-based)', () => {
  it('JSONL: any split of the bytes yields the same items', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), async (items, cuts) => {
        const bytes = Buffer.from(items.map((i) => JSON.stringify(i)).join('\r\n'));
        expect(await collect(parseJsonLines(chunks(split(bytes, cuts)), 'x'))).toEqual(JSON.parse(JSON.stringify(items)));
      }),
      { numRuns: 300 },
    );
  });

  it('JSON array: any split of the bytes yields the same elements, pretty-printed or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), fc.boolean(), async (items, cuts, pretty) => {
        const bytes = Buffer.from(JSON.stringify({ count: items.length, results: items }, null, pretty ? 2 : undefined));
        expect(await collect(parseJsonArray(chunks(split(bytes, cuts)), 'x', { key: 'results' }))).toEqual(JSON.parse(JSON.stringify(items)));
      }),
      { numRuns: 300 },
    );
  });
});

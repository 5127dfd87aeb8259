import { createReadStream } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileSource } from '../sources/file-source.js';
import type { ItemSource } from '../sources/item-source.js';
import { parseJsonLines } from '../sources/jsonl.js';
import { listingSource } from './backend-listing.js';
import type { ShardedExportSpec, ShardRange } from './shard-plan.js';

/**
 * One shard's slice of the export's items file as a source whose record indexes (and, for JSONL,
 * line numbers in messages) are those of the whole file: a JSONL slice is one ranged read of its
 * bytes; a JSON array is parsed from the start and the entries before the slice are passed over;
 * a backend listing's slice is its pages `firstPage`…`lastPage`, and nothing before them is read.
 */
export function shardSource(spec: ShardedExportSpec, range: ShardRange): ItemSource {
  if (spec.backend !== undefined) {
    return listingSource(spec.backend, { first: range.firstPage ?? 1, last: range.lastPage ?? 1, firstIndex: range.firstIndex, count: range.count });
  }
  const common = {
    description: `${spec.input} (items ${range.firstIndex + 1}–${range.firstIndex + range.count})`,
    baseDirectory: dirname(spec.input),
    replayable: true,
    firstIndex: range.firstIndex,
    count: async () => range.count,
  };
  if (spec.format === 'jsonl') {
    const { start = 0, end = 0, firstLine = 0 } = range;
    return {
      ...common,
      items: () => (end > start ? parseJsonLines(createReadStream(spec.input, { start, end: end - 1, highWaterMark: 1 << 20 }), basename(spec.input), firstLine) : []),
    };
  }
  return {
    ...common,
    items: async function* () {
      let index = 0;
      for await (const entry of (await fileSource(spec.input, { format: 'json' })).items()) {
        index += 1;
        if (index > range.firstIndex + range.count) return;
        if (index > range.firstIndex) yield entry;
      }
    },
  };
}

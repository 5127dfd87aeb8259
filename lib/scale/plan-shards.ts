import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { messageOf } from '../errors.js';
import type { BaseExporter } from '../exporter/base-exporter.js';
import { nameCandidate } from '../exporter/item-name.js';
import { toRecords } from '../exporter/to-records.js';
import { NamePlanner, type NamePlan } from '../naming/name-plan.js';
import { ExportRun } from '../run/export-run.js';
import { fileSource, type InputFormat } from '../sources/file-source.js';
import { SourceFailure } from '../sources/source-failure.js';
import { jsonlLines, type BlockStart } from './jsonl-blocks.js';
import type { ShardPlan, ShardRange } from './shard-plan.js';

/** JSONL entries per block: shards start on block boundaries, so the planner keeps one offset per block. */
export const BLOCK_ENTRIES = 64;

type NameSource = Pick<BaseExporter, 'getOriginalFileName'>;

/**
 * Plans a file source as `shards` slices and makes its by-id naming plan. A JSONL file is read
 * once (entries counted, a byte offset kept every `BLOCK_ENTRIES` entries, stems seen), and once
 * more only when some stems collide; a JSON array the same way, but its shards must parse the
 * file from the start to reach their slice.
 */
export async function planFileShards(
  path: string,
  format: InputFormat,
  shards: number,
  exporter: NameSource,
): Promise<Pick<ShardPlan, 'total' | 'shards'> & { names: NamePlan }> {
  const planner = new NamePlanner();
  const blocks: BlockStart[] = [];
  const entries = format === 'jsonl' ? jsonlEntries(path, blocks) : (await fileSource(path, { format })).items();
  let total = 0;
  for await (const record of toRecords(entries, new ExportRun())) {
    total = record.index;
    const candidate = nameCandidate(exporter, record);
    if (candidate !== undefined) planner.see(candidate.stem);
  }
  if (planner.hasCollisions) {
    const again = format === 'jsonl' ? jsonlEntries(path, []) : (await fileSource(path, { format })).items();
    for await (const record of toRecords(again, new ExportRun())) {
      const candidate = nameCandidate(exporter, record);
      if (candidate !== undefined) planner.collect(candidate);
    }
  }
  const ranges = format === 'jsonl' ? jsonlRanges(total, blocks, shards, (await stat(path)).size) : arrayRanges(total, shards);
  return { total, shards: ranges, names: planner.plan() };
}

/** The JSONL file's entries, as `parseJsonLines` yields them, noting where each block starts. */
async function* jsonlEntries(path: string, blocks: BlockStart[]): AsyncGenerator<unknown> {
  const label = basename(path);
  let count = 0;
  for await (const line of jsonlLines(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)) {
    if (count % BLOCK_ENTRIES === 0) blocks.push({ offset: line.offset, line: line.line - 1 });
    count += 1;
    try {
      yield JSON.parse(line.text);
    } catch (error) {
      yield new SourceFailure(`${label} line ${line.line}`, messageOf(error));
    }
  }
}

/** Whole blocks per shard, as even as blocks allow; never an empty shard unless the file is empty. */
function jsonlRanges(total: number, blocks: BlockStart[], shards: number, size: number): ShardRange[] {
  if (total === 0) return [{ shard: 0, firstIndex: 0, count: 0, start: 0, end: 0, firstLine: 0 }];
  const n = Math.min(shards, blocks.length);
  const ranges: ShardRange[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor((k * blocks.length) / n);
    const to = Math.floor(((k + 1) * blocks.length) / n);
    const firstIndex = from * BLOCK_ENTRIES;
    ranges.push({
      shard: k,
      firstIndex,
      count: Math.min(to * BLOCK_ENTRIES, total) - firstIndex,
      start: blocks[from]!.offset,
      end: to < blocks.length ? blocks[to]!.offset : size,
      firstLine: blocks[from]!.line,
    });
  }
  return ranges;
}

function arrayRanges(total: number, shards: number): ShardRange[] {
  const n = Math.max(1, Math.min(shards, total));
  const ranges: ShardRange[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor((k * total) / n);
    ranges.push({ shard: k, firstIndex: from, count: Math.floor(((k + 1) * total) / n) - from });
  }
  return ranges;
}

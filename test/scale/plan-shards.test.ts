import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Exporter } from '../../lib/exporter/base-exporter.js';
import { toRecords } from '../../lib/exporter/to-records.js';
import { planFileShards, BLOCK_ENTRIES } from '../../lib/scale/plan-shards.js';
import { shardSource } from '../../lib/scale/shard-source.js';
import type { ShardedExportSpec } from '../../lib/scale/shard-plan.js';
import { fileSource } from '../../lib/sources/file-source.js';
import type { ExportRecord } from '../../lib/types.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-plan-');

async function records(entries: AsyncIterable<unknown> | Iterable<unknown>, firstIndex = 0): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for await (const record of toRecords(entries, undefined, firstIndex)) out.push(record);
  return out;
}

function spec(input: string, format: 'jsonl' | 'json'): ShardedExportSpec {
  return { input, inputBytes: 0, format, name: 'x', saveOriginalFile: false, concurrency: 4, downloadConcurrency: 2, download: {} };
}

/** What a record says about itself, without the parsed item object identity. */
const summary = (r: ExportRecord) => ({ index: r.index, id: r.id, status: r.status, failure: r.failure?.message, item: r.item });

describe('planFileShards + shardSource', () => {
  it('cuts a JSONL file into byte ranges whose records are exactly the whole file\'s, line numbers included', async () => {
    const dir = await tempDir();
    const lines: string[] = ['\uFEFF{"id": 0, "data": {}}'];
    for (let i = 1; i < 1000; i++) lines.push(i === 700 ? '{broken' : i % 97 === 0 ? '   ' : JSON.stringify({ id: i, data: { s: 'é'.repeat(i % 5) }, files: { file_name_original: `f${i % 50}.jpg` } }));
    const input = join(dir, 'items.jsonl');
    await writeFile(input, `${lines.join('\r\n')}\r\n\r\n`);

    const plan = await planFileShards(input, 'jsonl', 5, new Exporter());
    const whole = await records((await fileSource(input)).items());
    expect(plan.total).toBe(whole.length);
    expect(plan.shards).toHaveLength(5);
    const sliced: ExportRecord[] = [];
    for (const range of plan.shards) {
      expect(range.firstIndex % BLOCK_ENTRIES).toBe(0);
      const source = shardSource(spec(input, 'jsonl'), range);
      const part = await records(source.items(), source.firstIndex);
      expect(part).toHaveLength(range.count);
      sliced.push(...part);
    }
    expect(sliced.map(summary)).toEqual(whole.map(summary));
    expect(sliced.find((r) => r.status === 'failed')?.failure?.message).toMatch(/items\.jsonl line 701/);
    // 50 stems shared by ~990 items (and item 0's own, item-0): all but the first of each stem are planned.
    expect(plan.names.size).toBe(whole.filter((r) => r.status === 'pending').length - 51);
  });

  it('slices a JSON array by position', async () => {
    const dir = await tempDir();
    const input = join(dir, 'items.json');
    await writeFile(input, JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ id: i + 1, data: {} }))));
    const plan = await planFileShards(input, 'json', 4, new Exporter());
    expect(plan.shards.map((r) => r.count)).toEqual([25, 25, 25, 26]);
    const ids: unknown[] = [];
    for (const range of plan.shards) for (const r of await records(shardSource(spec(input, 'json'), range).items(), range.firstIndex)) ids.push(r.id);
    expect(ids).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
  });

  it('plans an empty file as one empty shard, and never more shards than blocks', async () => {
    const dir = await tempDir();
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '\n\n');
    expect((await planFileShards(empty, 'jsonl', 8, new Exporter())).shards).toEqual([{ shard: 0, firstIndex: 0, count: 0, start: 0, end: 0, firstLine: 0 }]);
    const small = join(dir, 'small.jsonl');
    await writeFile(small, Array.from({ length: 70 }, (_, i) => JSON.stringify({ id: i })).join('\n'));
    const plan = await planFileShards(small, 'jsonl', 8, new Exporter());
    expect(plan.shards.map((r) => r.count)).toEqual([64, 6]);
    expect(await records(shardSource(spec(empty, 'jsonl'), { shard: 0, firstIndex: 0, count: 0, start: 0, end: 0 }).items())).toEqual([]);
  });
});

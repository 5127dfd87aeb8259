import { readFile, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/errors.js';
import { runExport } from '../../lib/exporter/run-export.js';
import { openInput } from '../../lib/sources/file-source.js';
import { fileHashes } from '../helpers/file-hashes.js';
import { rejectionOf } from '../helpers/assertions.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { writeCollidingDataset } from '../scale/fixtures/colliding-dataset.js';

const tempDir = tempDirs('se-by-id-');

/** A fixed shuffle of 0…n-1. */
function shuffled(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 31) % 17) - ((b * 31) % 17) || b - a);
}

describe("runExport({naming: 'by-id'})", () => {
  it('gives the same files whatever order the items come in; source order does not', async () => {
    const [inOrder, reordered, out] = await Promise.all([tempDir(), tempDir(), tempDir()]);
    await writeCollidingDataset(inOrder, { items: 150, media: true });
    // The bad line stays where it is (its message names its line), the rest is shuffled.
    const order = shuffled(150).filter((i) => i !== 5);
    order.splice(5, 0, 5);
    await writeCollidingDataset(reordered, { items: 150, media: true, order });

    const exported = async (input: string, name: string, naming: 'by-id' | 'source-order') => {
      const result = await runExport({ source: await openInput(input), output: out, name, naming });
      expect(result.counts).toEqual({ total: 150, success: 147, failed: 3, skipped: 0 });
      return fileHashes(result.uniqueExportPath, { except: ['export_manifest.json'] });
    };
    const a = await exported(inOrder, 'a', 'by-id');
    const b = await exported(reordered, 'b', 'by-id');
    expect(b).toEqual(a);
    expect(a.has('json/dup0.json') && a.has('json/dup0(1).json') && a.has('json/dup0(2).json')).toBe(true);
    const c = await exported(inOrder, 'c', 'source-order');
    const d = await exported(reordered, 'd', 'source-order');
    expect(d).not.toEqual(c);
  });

  it('names the smallest id of a colliding group plainly', async () => {
    const [input, out] = await Promise.all([tempDir(), tempDir()]);
    const items = [
      { id: 'z', data: { n: 1 }, files: { file_name_original: 'a.jpg' } },
      { id: 3, data: { n: 2 }, files: { file_name_original: 'A.jpg' } },
      { id: '20', data: { n: 3 }, files: { file_name_original: 'a(1).jpg' } },
      { id: 10, data: { n: 4 }, files: { file_name_original: 'a.png' } },
    ];
    const file = join(input, 'items.jsonl');
    await writeFile(file, items.map((x) => JSON.stringify(x)).join('\n'));
    const result = await runExport({ source: await openInput(file), output: out, name: 'x', naming: 'by-id', saveOriginalFile: false });
    const n = async (stem: string) => (JSON.parse(await readFile(join(result.uniqueExportPath, 'json', `${stem}.json`), 'utf8')) as { n: number }).n;
    // id 3 < 10 < '20' (integers numerically) < 'z'; a(1) is item '20''s own stem, so it is skipped.
    expect({ A: await n('A'), 'a(1)': await n('a(1)'), 'a(2)': await n('a(2)'), 'a(3)': await n('a(3)') }).toEqual({ A: 2, 'a(1)': 3, 'a(2)': 4, 'a(3)': 1 });
  });

  it('refuses a source that can be read only once, before creating anything', async () => {
    const out = await tempDir();
    const error = await rejectionOf(runExport({ source: Readable.from([{ id: 1, data: {} }]), output: out, name: 'x', naming: 'by-id' }));
    expect(error.code).toBe(ErrorCode.NAME_PLAN_MISMATCH);
    expect(await fileHashes(out)).toEqual(new Map());
  });
});

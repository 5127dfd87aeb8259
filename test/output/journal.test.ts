import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportJournal, type JournalEntry } from '../../lib/output/journal.js';
import { collect } from '../helpers/collect.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-journal-');

function entry(i: number, name: string): JournalEntry {
  return {
    i,
    id: i % 2 === 0 ? i : `id-${i}`,
    status: i % 5 === 0 ? 'failed' : 'success',
    files: [{ path: `json/${name}.json`, size: 100 + i, sha256: 'ab'.repeat(32) }],
    errors: { json: [], origin: [] },
    metrics: { data_file: 'success' },
  };
}

describe('ExportJournal', () => {
  it('reads back every entry in order through many batch flushes, multi-byte names and a line bigger than a batch', async () => {
    const path = join(await tempDir(), 'journal.jsonl');
    const journal = new ExportJournal(path, { batchBytes: 1024, flushMs: 5 });
    const written: JournalEntry[] = [];
    for (let i = 1; i <= 400; i++) {
      written.push(entry(i, i === 200 ? '보행자'.repeat(2000) : `프레임_${i}_vélo`));
      journal.append(written.at(-1)!);
      if (i % 97 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await journal.close();
    expect(await collect(ExportJournal.read(path))).toEqual(written);
    expect((await readFile(path, 'utf8')).split('\n').length).toBe(401);
  });

  it('passes over a torn last line, as a crash mid-write leaves it', async () => {
    const path = join(await tempDir(), 'journal.jsonl');
    const journal = new ExportJournal(path);
    journal.append(entry(1, 'a'));
    await journal.close();
    await appendFile(path, '{"i":2,"id":2,"sta');
    expect(await collect(ExportJournal.read(path))).toEqual([entry(1, 'a')]);
  });
});

import { randomBytes } from 'node:crypto';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZipArchive } from '../../lib/archive/zip-archive.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { hasUnzip, readZip, unzipTest } from '../helpers/zip.js';

const tempDir = tempDirs('se-zip-');

describe('ZipArchive', () => {
  it('writes buffered, file and streamed entries that unzip and yauzl both read back', async () => {
    const dir = await tempDir();
    const archive = new ZipArchive({ destination: join(dir, 'a.zip'), workDirectory: join(dir, 'work') });
    const media = randomBytes(5 * 1024 * 1024); // above the whole-file limit: streamed
    await writeFile(join(dir, 'big.jpg'), media);
    // Streamed and deflated, read in one reused buffer: every chunk must be in before the next read.
    const bigText = Array.from({ length: 120_000 }, (_, i) => `{"line": ${i}, "hex": "${(i * 2654435761).toString(16)}"}`).join('\n');
    await writeFile(join(dir, 'big.jsonl'), bigText);
    const json = JSON.stringify({ text: 'é'.repeat(1000) }, null, 4);
    async function* chunks(): AsyncGenerator<string> {
      for (let i = 0; i < 1000; i++) yield `line ${i}\n`;
    }
    const results = await Promise.all([
      archive.addBuffer('json/a.json', json),
      archive.addBuffer('json/empty.json', ''),
      archive.addFile('origin_files/big.jpg', join(dir, 'big.jpg')),
      archive.addStream('list.txt', chunks()),
      archive.addFile('big.jsonl', join(dir, 'big.jsonl')),
    ]);
    expect(results[4]).toMatchObject({ size: Buffer.byteLength(bigText) });
    expect(results[0]).toMatchObject({ part: null, size: Buffer.byteLength(json) });
    expect(await readdir(dir)).toContain('a.zip.partial');
    expect(await archive.finish()).toEqual([join(dir, 'a.zip')]);
    expect(await readdir(dir)).not.toContain('a.zip.partial');

    if (hasUnzip) expect(unzipTest(join(dir, 'a.zip'))).toMatch(/No errors detected/);
    const entries = await readZip(join(dir, 'a.zip'));
    expect(entries.get('json/a.json')?.toString('utf8')).toBe(json);
    expect(entries.get('json/empty.json')?.length).toBe(0);
    expect(entries.get('origin_files/big.jpg')?.equals(media)).toBe(true);
    expect(entries.get('list.txt')?.toString('utf8')).toMatch(/^line 0\n[\s\S]*line 999\n$/);
    expect(entries.get('big.jsonl')?.toString('utf8')).toBe(bigText);
    // JSON is deflated, the JPEG stored: the archive is about the size of the media.
    expect((await stat(join(dir, 'a.zip'))).size).toBeLessThan(media.length + Buffer.byteLength(bigText) / 2);
  });

  it('takes many entries at once into one file: packed ones written by the file workers side by side, streamed ones alone', async () => {
    const dir = await tempDir();
    const archive = new ZipArchive({ destination: join(dir, 'many.zip'), workDirectory: join(dir, 'work') });
    const photos = Array.from({ length: 300 }, (_, i) => randomBytes(1000 + i * 37));
    await Promise.all(photos.map((bytes, i) => writeFile(join(dir, `${i}.jpg`), bytes)));
    async function* lines(n: number): AsyncGenerator<string> {
      for (let i = 0; i < 200; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        yield `stream ${n} line ${i}\n`;
      }
    }
    await Promise.all([
      ...photos.map((_, i) => archive.addFile(`origin_files/${i}.jpg`, join(dir, `${i}.jpg`))),
      ...photos.map((_, i) => archive.addBuffer(`json/${i}.json`, JSON.stringify({ i, label: 'x'.repeat(i) }, null, 4))),
      ...[1, 2, 3].map((n) => archive.addStream(`lists/${n}.txt`, lines(n))),
    ]);
    await archive.finish();
    if (hasUnzip) expect(unzipTest(join(dir, 'many.zip'))).toMatch(/No errors detected/);
    const entries = await readZip(join(dir, 'many.zip'));
    expect(entries.size).toBe(603);
    photos.forEach((bytes, i) => {
      expect(entries.get(`origin_files/${i}.jpg`)?.equals(bytes)).toBe(true);
      expect(JSON.parse(entries.get(`json/${i}.json`)!.toString('utf8'))).toEqual({ i, label: 'x'.repeat(i) });
    });
    expect(entries.get('lists/2.txt')?.toString('utf8')).toMatch(/^stream 2 line 0\n[\s\S]*stream 2 line 199\n$/);
  });

  it('switches to ZIP64 past 65,535 entries', async () => {
    const dir = await tempDir();
    const archive = new ZipArchive({ destination: join(dir, 'many.zip'), workDirectory: join(dir, 'work'), level: 0 });
    const count = 65_540;
    for (let i = 0; i < count; i += 256) {
      await Promise.all(Array.from({ length: Math.min(256, count - i) }, (_, j) => archive.addBuffer(`json/${i + j}.json`, `{"i": ${i + j}}`)));
    }
    await archive.finish();
    const entries = await readZip(join(dir, 'many.zip'));
    expect(entries.size).toBe(count);
    expect(entries.get('json/65539.json')?.toString()).toBe('{"i": 65539}');
    if (hasUnzip) expect(unzipTest(join(dir, 'many.zip'))).toMatch(/No errors detected/);
  });

  it('splits into parts that are each a valid zip, and says which part holds an entry', async () => {
    const dir = await tempDir();
    const archive = new ZipArchive({ destination: join(dir, 'parts.zip'), workDirectory: join(dir, 'work'), splitSize: 100_000 });
    const parts = new Map<string, string | null>();
    for (let i = 0; i < 12; i++) {
      const entry = await archive.addBuffer(`origin_files/${i}.png`, randomBytes(30_000));
      parts.set(`origin_files/${i}.png`, entry.part);
    }
    const paths = await archive.finish();
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(['parts.part001.zip', 'parts.part002.zip', 'parts.part003.zip', 'parts.part004.zip']);
    for (const path of paths) {
      expect((await stat(path)).size).toBeLessThanOrEqual(100_000);
      if (hasUnzip) expect(unzipTest(path)).toMatch(/No errors detected/);
      const names = [...(await readZip(path)).keys()];
      for (const name of names) expect(parts.get(name)).toBe(path.slice(dir.length + 1));
    }
  });

  it('abort removes the partial archive', async () => {
    const dir = await tempDir();
    const archive = new ZipArchive({ destination: join(dir, 'a.zip'), workDirectory: join(dir, 'work') });
    await archive.addBuffer('a.json', '{}');
    await archive.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses bad levels and split sizes', () => {
    expect(() => new ZipArchive({ destination: 'x.zip', workDirectory: 'w', level: 10 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => new ZipArchive({ destination: 'x.zip', workDirectory: 'w', splitSize: 10 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});

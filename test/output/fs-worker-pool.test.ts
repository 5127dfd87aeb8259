import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { copyFileHashed, writeFileHashed } from '../../lib/output/file-ops.js';
import { FsWorkerPool, mediaMode, type PackedContent } from '../../lib/output/fs-worker-pool.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-fs-workers-');
const sha = (bytes: string | Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('file operations in the file workers', () => {
  it('writes many files at once, each with its own size and sha256, and leaves the caller\'s buffers alone', async () => {
    const dir = await tempDir();
    const bytes = new Uint8Array([1, 2, 3]);
    const written = await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => writeFileHashed(join(dir, `${i}.json`), `{"n": ${i}, "name": "보행자"}`)),
      writeFileHashed(join(dir, 'bytes.bin'), bytes),
    ]);
    expect(bytes).toEqual(new Uint8Array([1, 2, 3]));
    for (let i = 0; i < 200; i++) {
      const text = `{"n": ${i}, "name": "보행자"}`;
      expect(written[i]).toEqual({ size: Buffer.byteLength(text), sha256: sha(text) });
      expect(await readFile(join(dir, `${i}.json`), 'utf8')).toBe(text);
    }
    expect(written[200]).toEqual({ size: 3, sha256: sha(bytes) });
  });

  it('writes a batch bigger than any before it (non-ASCII text grows the buffer), then small ones again', async () => {
    const dir = await tempDir();
    const big = `${'x'.repeat(5 * 1024 * 1024)}보행자`;
    const texts = [big, 'a', '보', big.slice(3), 'é'];
    const written = await Promise.all(texts.map((text, i) => writeFileHashed(join(dir, `${i}.txt`), text)));
    const after = await writeFileHashed(join(dir, 'after.txt'), 'small again');
    for (const [i, text] of texts.entries()) {
      expect(written[i]).toEqual({ size: Buffer.byteLength(text), sha256: sha(text) });
      expect(await readFile(join(dir, `${i}.txt`), 'utf8')).toBe(text);
    }
    expect(after).toEqual({ size: 11, sha256: sha('small again') });
    expect(await readFile(join(dir, 'after.txt'), 'utf8')).toBe('small again');
  });

  it('replaces an existing file whole through its partial name, and fails like fs does: ENOENT naming a missing source', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'taken'), 'old');
    await writeFile(join(dir, 'taken.partial'), 'torn by a crash');
    expect(await writeFileHashed(join(dir, 'taken'), 'new')).toEqual({ size: 3, sha256: sha('new') });
    expect(await readFile(join(dir, 'taken'), 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['taken']);
    const missing = join(dir, 'missing.png');
    for (const mode of ['copy', 'hardlink', 'symlink'] as const) {
      await expect(copyFileHashed(missing, join(dir, `out-${mode}`), mode)).rejects.toMatchObject({ code: 'ENOENT', path: missing });
    }
    // A failed write leaves no partial behind.
    expect(await readdir(dir)).toEqual(['taken']);
  });

  it('copies, hard-links or symlinks an original, recording the same size and sha256', async () => {
    const dir = await tempDir();
    const source = join(dir, 'media.jpg');
    const content = Buffer.alloc(50_000, 7);
    await writeFile(source, content);
    const expected = { size: content.byteLength, sha256: sha(content) };

    expect(await copyFileHashed(source, join(dir, 'copy.jpg'))).toEqual(expected);
    expect((await stat(join(dir, 'copy.jpg'))).ino).not.toBe((await stat(source)).ino);

    expect(await copyFileHashed(source, join(dir, 'hard.jpg'), 'hardlink')).toEqual(expected);
    expect((await stat(join(dir, 'hard.jpg'))).ino).toBe((await stat(source)).ino);

    expect(await copyFileHashed(source, join(dir, 'soft.jpg'), 'symlink')).toEqual(expected);
    expect((await lstat(join(dir, 'soft.jpg'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'soft.jpg'))).toBe(source);

    // Linking again (a resumed export) replaces the link instead of failing.
    expect(await copyFileHashed(source, join(dir, 'hard.jpg'), 'hardlink')).toEqual(expected);
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('streams a copy of an original too big to read whole, with the same size and sha256, and leaves no partial', async () => {
    const dir = await tempDir();
    const source = join(dir, 'video.mp4');
    const content = randomBytes(17 * 1024 * 1024);
    await writeFile(source, content);
    expect(await copyFileHashed(source, join(dir, 'copy.mp4'))).toEqual({ size: content.byteLength, sha256: sha(content) });
    expect((await readFile(join(dir, 'copy.mp4'))).equals(content)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['copy.mp4', 'video.mp4']);
  });

  it('gives each directory being written its own worker, and never one directory to two workers', async () => {
    const dir = await tempDir();
    const pool = new FsWorkerPool(2);
    const write = (path: string): Promise<unknown> => pool.run({ kind: 'write', path, data: new TextEncoder().encode(path), inPlace: false });
    // Batches keep coming while the first is out: they wait for the worker of their directory.
    for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 50 }, (_, i) => write(join(dir, `${round}-${i}.json`))));
    expect(pool.threads).toBe(1);
    await mkdir(join(dir, 'other'));
    const both = await Promise.all(Array.from({ length: 100 }, (_, i) => write(join(dir, i % 2 === 0 ? 'other' : '', `two-${i}.json`))));
    expect(both.every((reply) => typeof reply === 'object' && reply !== null && 'ok' in reply)).toBe(true);
    expect(pool.threads).toBe(2);
    expect((await readdir(join(dir, 'other'))).length).toBe(50);
  });

  it('packs zip content: sha256 and CRC-32 of the bytes, deflated only when that is smaller; a big file is answered as large', async () => {
    const dir = await tempDir();
    const pool = new FsWorkerPool(2);
    const text = JSON.stringify({ annotations: Array.from({ length: 200 }, (_, i) => ({ id: i, label: '보행자' })) }, null, 4);
    const noise = randomBytes(30_000);
    await writeFile(join(dir, 'noise.bin'), noise);
    const [json, stored, fromFile, big, missing] = await Promise.all([
      pool.run({ kind: 'pack', data: text, level: 6 }),
      pool.run({ kind: 'pack', data: text, level: 0 }),
      pool.run({ kind: 'pack-file', source: join(dir, 'noise.bin'), level: 6, wholeFileLimit: 1 << 20 }),
      pool.run({ kind: 'pack-file', source: join(dir, 'noise.bin'), level: 6, wholeFileLimit: 1000 }),
      pool.run({ kind: 'pack-file', source: join(dir, 'missing.bin'), level: 6, wholeFileLimit: 1 << 20 }),
    ]);
    const bytes = Buffer.from(text, 'utf8');
    const contentOf = { size: bytes.byteLength, sha256: sha(bytes), crc: crc32(bytes) };
    expect(json).toEqual({ packed: { ...contentOf, deflated: true, data: expect.any(Uint8Array) } });
    expect(inflateRawSync((json as { packed: PackedContent }).packed.data)).toEqual(bytes);
    expect(stored).toEqual({ packed: { ...contentOf, deflated: false, data: new Uint8Array(bytes) } });
    // Random bytes do not deflate smaller: stored as they are.
    expect(fromFile).toEqual({ packed: { size: noise.byteLength, sha256: sha(noise), crc: crc32(noise), deflated: false, data: new Uint8Array(noise) } });
    expect(big).toEqual({ large: true, size: noise.byteLength });
    expect(missing).toMatchObject({ error: { code: 'ENOENT', path: join(dir, 'missing.bin') } });
  });

  it('deflates entry after entry in one worker, each a whole stream of its own, as deflateRawSync makes it', async () => {
    const pool = new FsWorkerPool(1);
    const texts = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: i, points: Array.from({ length: 20 + i * 7 }, (_, k) => k * i) }, null, 4));
    // Over the worker's 1 MB deflate buffer: deflated into one of its own.
    texts.splice(20, 0, JSON.stringify(Array.from({ length: 60_000 }, (_, k) => ({ k, label: 'vélo' })), null, 4));
    // Incompressible content between them: the stream is left with its output full, then reset.
    const inputs = texts.flatMap((text, i) => [{ data: text, level: 1 + (i % 9) }, { data: randomBytes(500 + i), level: 6 }]);
    const replies = await Promise.all(inputs.map(({ data, level }) => pool.run({ kind: 'pack', data, level })));
    replies.forEach((reply, i) => {
      const { data, level } = inputs[i]!;
      const bytes = Buffer.from(data);
      const { packed } = reply as { packed: PackedContent };
      if (typeof data === 'string') {
        expect(packed.deflated).toBe(true);
        expect(Buffer.from(packed.data)).toEqual(deflateRawSync(bytes, { level }));
        expect(inflateRawSync(packed.data)).toEqual(bytes);
      } else {
        expect(packed).toMatchObject({ deflated: false, size: bytes.byteLength, crc: crc32(bytes) });
        expect(Buffer.from(packed.data)).toEqual(bytes);
      }
    });
  });

  it('accepts only the known media modes', () => {
    expect(mediaMode(undefined)).toBe('copy');
    expect(mediaMode('hardlink')).toBe('hardlink');
    expect(() => mediaMode('move')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});

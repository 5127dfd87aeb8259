import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What the manifest records of a file: its size and its sha256, computed while writing it. */
export interface WrittenFile {
  size: number;
  sha256: string;
}

/** Files up to this size are copied through one buffer; larger ones are streamed. */
const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;

/**
 * Every file is written under `<name>.partial` and renamed when complete, so a crash at any
 * moment never leaves a truncated file under a final name (and a resume overwrites cleanly).
 */
export const PARTIAL_SUFFIX = '.partial';

/** Writes `path` whole through its partial name and returns its size and sha256. */
export async function writeFileHashed(path: string, data: string | Uint8Array): Promise<WrittenFile> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  await throughPartial(path, (partial) => writeFile(partial, bytes));
  return { size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Writes with `write(partialPath)`, then renames into place; a failed write leaves nothing behind. */
async function throughPartial(path: string, write: (partial: string) => Promise<unknown>): Promise<void> {
  const partial = path + PARTIAL_SUFFIX;
  try {
    await write(partial);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Writes a new file from chunks as they come (a big `annotations.json`), hashing on the way. */
export async function writeChunksHashed(path: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<WrittenFile> {
  const hash = createHash('sha256');
  let size = 0;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      hash.update(buffer);
      size += buffer.byteLength;
      yield buffer;
    }
  }
  await throughPartial(path, (partial) => pipeline(bytes(), createWriteStream(partial)));
  return { size, sha256: hash.digest('hex') };
}

/**
 * Copies `source` to a new file at `destination`, hashing on the way. Small files go through one
 * read and one write; large ones through a stream, so memory stays bounded for video.
 */
export async function copyFileHashed(source: string, destination: string): Promise<WrittenFile> {
  const handle = await open(source, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= WHOLE_FILE_LIMIT) {
      const bytes = await handle.readFile();
      return await writeFileHashed(destination, bytes);
    }
  } finally {
    await handle.close();
  }
  const hash = createHash('sha256');
  let size = 0;
  await throughPartial(destination, (partial) =>
    pipeline(
      createReadStream(source),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          size += chunk.byteLength;
          callback(null, chunk);
        },
      }),
      createWriteStream(partial),
    ),
  );
  return { size, sha256: hash.digest('hex') };
}

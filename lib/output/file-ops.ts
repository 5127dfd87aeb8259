import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { fsWorkers, resultOf, type MediaMode } from './fs-worker-pool.js';
import { PARTIAL_SUFFIX } from './partial-suffix.js';

/** What the manifest records of a file: its size and its sha256, computed while writing it. */
export interface WrittenFile {
  size: number;
  sha256: string;
}

/** Files up to this size are copied through one buffer; larger ones are streamed. */
const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;

/*
 * `inPlace`: the file is written under its own name, for paths in a staging folder that nobody
 * reads before the export publishes it; otherwise it is written under a partial name and renamed
 * when whole. Either way a failed write leaves nothing behind.
 */

/**
 * Writes `path` whole and returns its size and sha256. The write and the hash happen in a file
 * worker (see FsWorkerPool): one system call per step, off the main thread. With `jsonIndent`,
 * `data` is compact JSON, written laid out with that indent (as `JSON.stringify` would).
 */
export async function writeFileHashed(path: string, data: string | Uint8Array, inPlace = false, jsonIndent?: number): Promise<WrittenFile> {
  return resultOf(await fsWorkers().run({ kind: 'write', path, data, inPlace, jsonIndent }), 'ok');
}

/**
 * Writes a new file with `write(pathToWrite)`, in place or through the partial name renamed into
 * place. What was under the name goes first, never written into: it may be a link to a source.
 */
async function throughPartial(path: string, inPlace: boolean, write: (pathToWrite: string) => Promise<unknown>): Promise<void> {
  const written = inPlace ? path : path + PARTIAL_SUFFIX;
  try {
    await rm(written, { force: true });
    await write(written);
    if (!inPlace) await rename(written, path);
  } catch (error) {
    await rm(written, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Writes a new file from chunks as they come (a big `annotations.json`), hashing on the way. */
export async function writeChunksHashed(
  path: string,
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  inPlace = false,
): Promise<WrittenFile> {
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
  await throughPartial(path, inPlace, (written) => pipeline(bytes(), createWriteStream(written, { flags: 'wx' })));
  return { size, sha256: hash.digest('hex') };
}

/**
 * Puts `source` at `destination` (a new file), hashing it on the way: copied by default, or hard-
 * or symbolically linked (`mode`, for local sources the export may share; a hard link across file
 * systems falls back to a copy). Links and small copies are done in a file worker (a small file
 * is read once and written once); larger copies are streamed, so memory stays bounded for video.
 */
export async function copyFileHashed(source: string, destination: string, mode: MediaMode = 'copy', inPlace = false): Promise<WrittenFile> {
  const reply = await fsWorkers().run({ kind: 'copy', source, destination, mode, wholeFileLimit: WHOLE_FILE_LIMIT, inPlace });
  if ('large' in reply) return writeChunksHashed(destination, createReadStream(source), inPlace);
  return resultOf(reply, 'ok');
}

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { fsWorkers, resultOf, type PackedContent } from '../output/fs-worker-pool.js';
import { createLimiter } from '../pipeline/limiter.js';
import { DEFAULT_ZIP_LEVEL, isCompressible } from './compression.js';
import { DEFLATE, STORE } from './zip-format.js';
import { ZipWriter } from './zip-writer.js';

/** Files up to this size are read whole and compressed off the archive's lock; larger ones stream. */
const WHOLE_FILE_LIMIT = 4 * 1024 * 1024;
/**
 * Bytes the archive file's stream takes before the writer waits for it to drain. With the
 * default 16 KB, every stored photo waited for its own write to finish.
 */
const WRITE_BUFFER = 1024 * 1024;
/** Headroom per entry for its local header, descriptor and central directory header, beyond the name. */
const ENTRY_OVERHEAD = 30 + 24 + 46 + 28;
/** The end records of a part, ZIP64 included. */
const END_OVERHEAD = 98;

export interface ZipArchiveOptions {
  /**
   * `<folder>/<name>.zip`: written as `<name>.zip.partial` (or `<name>.part001.zip.partial`… when
   * split) and renamed by `finish`. Or a stream, such as standard output: written as is, ended by `finish`.
   */
  destination: string | Writable;
  /** A folder for the central directory spools (removed with the export's work folder). */
  workDirectory: string;
  /** Deflate level for compressible entries: 0 stores everything, 1 (fast) to 9 (small). Default 6. */
  level?: number;
  /** Start a new part before one would grow past this many bytes; every part is a zip by itself. */
  splitSize?: number;
}

/** Where an entry went, with the size and sha256 of its uncompressed content. */
export interface ArchivedEntry {
  /** The part's file name when the archive is split, else null. */
  part: string | null;
  size: number;
  sha256: string;
}

interface OpenPart {
  index: number;
  writer: ZipWriter;
  stream: Writable;
  /** The part's file while it is written, null for a stream destination. */
  partial: string | null;
  /** Central directory bytes this part will need, so a split part stays under its size. */
  directoryBytes: number;
}

/**
 * A zip archive that entries are added to while the export runs. Entries from concurrent callers
 * are written one at a time (compression of buffered entries happens before, in parallel); the
 * archive has flat memory at any entry count (see ZipWriter). Nothing carries the final name
 * until `finish` has written every part completely.
 */
export class ZipArchive {
  private readonly lock = createLimiter(1);
  private readonly level: number;
  private current: OpenPart | null = null;
  private readonly partials: string[] = [];
  private closed = false;

  constructor(private readonly options: ZipArchiveOptions) {
    this.level = options.level ?? DEFAULT_ZIP_LEVEL;
    if (!Number.isInteger(this.level) || this.level < 0 || this.level > 9) {
      throw new ExportError(`zip level must be a whole number from 0 to 9, got ${String(options.level)}`, { code: ErrorCode.INVALID_OPTION });
    }
    if (options.splitSize !== undefined) {
      if (!Number.isSafeInteger(options.splitSize) || options.splitSize < 64 * 1024) {
        throw new ExportError(`zip split size must be at least 64 KiB, got ${String(options.splitSize)}`, { code: ErrorCode.INVALID_OPTION });
      }
      if (typeof options.destination !== 'string') {
        throw new ExportError('a split archive cannot be written to a stream; give a file destination', { code: ErrorCode.INVALID_OPTION });
      }
    }
  }

  /** The final file names of the parts written so far (one name when not split). */
  get paths(): string[] {
    return this.partials.map((partial) => partial.slice(0, -'.partial'.length));
  }

  /** Adds an entry of these bytes; hashing and compressing happen in a file worker, in parallel with other entries. */
  async addBuffer(name: string, data: string | Uint8Array): Promise<ArchivedEntry> {
    return this.addPacked(name, resultOf(await fsWorkers().run({ kind: 'pack', data, level: this.levelFor(name) }), 'packed'));
  }

  /** Adds a file from disk: read whole (in a file worker, like `addBuffer`) when small, streamed when large. */
  async addFile(name: string, path: string): Promise<ArchivedEntry> {
    const reply = await fsWorkers().run({ kind: 'pack-file', source: path, level: this.levelFor(name), wholeFileLimit: WHOLE_FILE_LIMIT });
    if ('large' in reply) return this.addStream(name, createReadStream(path), reply.size);
    return this.addPacked(name, resultOf(reply, 'packed'));
  }

  private levelFor(name: string): number {
    return isCompressible(name) ? this.level : 0;
  }

  private async addPacked(name: string, content: PackedContent): Promise<ArchivedEntry> {
    const { size, crc, sha256, data } = content;
    const part = await this.lock(async () => {
      const open = await this.partFor(name, data.byteLength);
      await open.writer.addPrepared({ name, method: content.deflated ? DEFLATE : STORE, crc, size, data });
      return open;
    });
    return { part: this.partName(part), size, sha256 };
  }

  /** Adds an entry from chunks as they come; `expectedSize` helps choose ZIP64 and the split point. */
  async addStream(name: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, expectedSize?: number): Promise<ArchivedEntry> {
    const hash = createHash('sha256');
    async function* hashed(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        hash.update(bytes);
        yield bytes;
      }
    }
    const method = this.level > 0 && isCompressible(name) ? DEFLATE : STORE;
    const { part, size } = await this.lock(async () => {
      const open = await this.partFor(name, expectedSize ?? 0);
      const written = await open.writer.addStream(name, hashed(), method, this.level, expectedSize);
      return { part: open, size: written.size };
    });
    return { part: this.partName(part), size, sha256: hash.digest('hex') };
  }

  /** Completes the last part and gives every part its final name; returns the final paths. */
  async finish(): Promise<string[]> {
    return this.lock(async () => {
      const open = this.current ?? (await this.openPart(1));
      await this.closePart(open);
      this.closed = true;
      for (const partial of this.partials) await rename(partial, partial.slice(0, -'.partial'.length));
      return this.paths;
    });
  }

  /** Stops writing and removes every partial part; no file is left that looks like an archive. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const open = this.current;
    this.current = null;
    if (open !== null) {
      open.stream.destroy();
      await finished(open.stream).catch(() => undefined);
      await open.writer.dispose();
    }
    await Promise.all(this.partials.map((partial) => rm(partial, { force: true })));
  }

  /** The open part, after starting a new one if this entry would push a split part past its size. */
  private async partFor(name: string, estimate: number): Promise<OpenPart> {
    if (this.closed) throw new ExportError(`Cannot add ${name}: the archive is already closed`, { code: ErrorCode.ARCHIVE_FAILED, fileName: name });
    const nameBytes = Buffer.byteLength(name);
    let open = this.current ?? (await this.openPart(1));
    const limit = this.options.splitSize;
    const needed = ENTRY_OVERHEAD + 2 * nameBytes + estimate;
    if (limit !== undefined && open.writer.entries > 0 && open.writer.bytesWritten + open.directoryBytes + needed + END_OVERHEAD > limit) {
      await this.closePart(open);
      open = await this.openPart(open.index + 1);
    }
    open.directoryBytes += 46 + 28 + nameBytes;
    return open;
  }

  private async openPart(index: number): Promise<OpenPart> {
    const { destination, workDirectory } = this.options;
    let stream: Writable;
    let partial: string | null = null;
    if (typeof destination === 'string') {
      const path = this.options.splitSize === undefined ? destination : destination.replace(/(\.zip)?$/i, `.part${String(index).padStart(3, '0')}.zip`);
      partial = `${path}.partial`;
      stream = createWriteStream(partial, { flags: 'wx', highWaterMark: WRITE_BUFFER });
      this.partials.push(partial);
    } else {
      stream = destination;
    }
    const writer = new ZipWriter(stream, join(workDirectory, `zip-directory-${index}.jsonl`));
    this.current = { index, writer, stream, partial, directoryBytes: 0 };
    return this.current;
  }

  private async closePart(open: OpenPart): Promise<void> {
    try {
      await open.writer.finish();
      open.stream.end();
      await finished(open.stream);
    } catch (error) {
      throw new ExportError(`Could not write the archive ${open.partial ?? 'stream'}: ${messageOf(error)}`, {
        code: ErrorCode.ARCHIVE_FAILED,
        fileName: open.partial ?? undefined,
        cause: error,
      });
    }
    this.current = null;
  }

  private partName(part: OpenPart): string | null {
    if (this.options.splitSize === undefined || part.partial === null) return null;
    return basename(part.partial.slice(0, -'.partial'.length));
  }
}

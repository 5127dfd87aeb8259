import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { fsWorkers, resultOf, type ArchivedContent, type FsOperation, type PackedContent } from '../output/fs-worker-pool.js';
import { SharedExclusiveLock } from '../pipeline/shared-exclusive-lock.js';
import { DEFAULT_ZIP_LEVEL, isCompressible } from './compression.js';
import { ZipFileSink } from './zip-file-sink.js';
import { DEFLATE, STORE } from './zip-format.js';
import { ZipStreamSink } from './zip-stream-sink.js';
import { ZipWriter, type ZipSink } from './zip-writer.js';

/** Files up to this size are read whole and compressed off the archive's lock; larger ones stream. */
const WHOLE_FILE_LIMIT = 4 * 1024 * 1024;
/**
 * Bytes the archive file's stream takes before the writer waits for it to drain. With the
 * default 16 KB, every stored photo waited for its own write to finish.
 */
const WRITE_BUFFER = 1024 * 1024;
/** The reads of a large file deflated into the archive. */
const FILE_CHUNK = 256 * 1024;
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
  /** Deflate level for compressible entries: 0 stores everything, 1 (fast) to 9 (small). Default 3 (`DEFAULT_ZIP_LEVEL`). */
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

/** Packing of an entry's content in a file worker. */
type PackOperation = Extract<FsOperation, { kind: 'pack' | 'pack-file' }>;

interface OpenPart {
  index: number;
  writer: ZipWriter;
  sink: ZipSink;
  /** The sink again when it is the part's file, which the file workers write entries into. */
  file: ZipFileSink | null;
  /** The part's file while it is written, null for a stream destination. */
  partial: string | null;
  /** Central directory bytes this part will need, so a split part stays under its size. */
  directoryBytes: number;
}

/**
 * A zip archive that entries are added to while the export runs; it has flat memory at any entry
 * count (see ZipWriter). Entries of buffers and small files are packed (hashed, compressed) in the
 * file workers, in parallel. Written to one file, the workers also write them there themselves,
 * side by side (a shared lock); written to a stream or split into parts, they come back to be
 * written here, one at a time. Streamed entries, which this thread writes, always go one at a
 * time (the exclusive lock). Nothing carries the final name until `finish` has written every part
 * completely.
 */
export class ZipArchive {
  private readonly lock = new SharedExclusiveLock();
  private readonly level: number;
  /**
   * The archive's one file, which the file workers write packed entries into themselves; null
   * when it is split into parts or written to a stream, where only this thread writes.
   */
  private readonly sharedFile: string | null;
  private current: OpenPart | null = null;
  /** The first part while it is being opened (shared-lock holders may all ask for it at once). */
  private opening: Promise<OpenPart> | null = null;
  private readonly partials: string[] = [];
  private closed = false;
  /** The first failed write into a part's file: it has a hole now, and every later entry fails with this. */
  private failure: unknown = null;

  constructor(private readonly options: ZipArchiveOptions) {
    this.level = options.level ?? DEFAULT_ZIP_LEVEL;
    this.sharedFile = typeof options.destination === 'string' && options.splitSize === undefined ? options.destination : null;
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

  /**
   * Adds an entry of these bytes; hashing and compressing happen in a file worker, in parallel
   * with other entries. With `jsonIndent`, `data` is compact JSON, stored laid out with that indent.
   */
  async addBuffer(name: string, data: string | Uint8Array, jsonIndent?: number): Promise<ArchivedEntry> {
    return this.addPacked(name, { kind: 'pack', data, level: this.levelFor(name), jsonIndent });
  }

  /** Adds a file from disk: read whole (in a file worker, like `addBuffer`) when small, streamed when large. */
  async addFile(name: string, path: string): Promise<ArchivedEntry> {
    const level = this.levelFor(name);
    const added = await this.addPacked(name, { kind: 'pack-file', source: path, level, wholeFileLimit: WHOLE_FILE_LIMIT });
    if (!('large' in added)) return added;
    // Deflated, it can be read into two buffers used in turn (see ZipWriter's writeDeflated); stored, a
    // stream sink may still hold a chunk after its write returned.
    return this.addStream(name, level > 0 ? fileChunks(path) : createReadStream(path), added.large);
  }

  private levelFor(name: string): number {
    return isCompressible(name) ? this.level : 0;
  }

  /** Packs the entry in a file worker, which writes it too when the archive is one file; `large` (a file's size) when it must be streamed. */
  private addPacked(name: string, op: Extract<PackOperation, { kind: 'pack' }>): Promise<ArchivedEntry>;
  private addPacked(name: string, op: PackOperation): Promise<ArchivedEntry | { large: number }>;
  private async addPacked(name: string, op: PackOperation): Promise<ArchivedEntry | { large: number }> {
    if (this.sharedFile === null) {
      const reply = await fsWorkers().run(op);
      return 'large' in reply ? { large: reply.size } : this.writePacked(name, resultOf(reply, 'packed'));
    }
    return this.lock.shared(async () => {
      const open = await this.partFor(name, 0);
      // Set on the caller's fresh operation, not spread into a copy: this runs for every entry.
      op.into = open.file!.slot(open.writer.headerTemplate(name));
      const reply = await fsWorkers().run(op);
      if ('large' in reply) return { large: reply.size };
      let content: ArchivedContent;
      try {
        content = resultOf(reply, 'archived');
      } catch (error) {
        this.failed(open, error);
      }
      const { size, crc, sha256, deflated, compressedSize, offset } = content;
      open.writer.record({ name, method: deflated ? DEFLATE : STORE, crc, compressedSize, size, offset, streamed: false });
      return { part: null, size, sha256 };
    });
  }

  /** Rethrows `error`, kept as the archive's failure when a write into the part's file failed. */
  private failed(open: OpenPart, error: unknown): never {
    if (open.file?.failed === true) this.failure ??= error;
    throw error;
  }

  private async writePacked(name: string, content: PackedContent): Promise<ArchivedEntry> {
    const { size, crc, sha256, data } = content;
    const part = await this.lock.exclusive(async () => {
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
    const { part, size } = await this.lock.exclusive(async () => {
      const open = await this.partFor(name, expectedSize ?? 0);
      const written = await open.writer.addStream(name, hashed(), method, this.level, expectedSize).catch((error: unknown) => this.failed(open, error));
      return { part: open, size: written.size };
    });
    return { part: this.partName(part), size, sha256: hash.digest('hex') };
  }

  /** Completes the last part and gives every part its final name; returns the final paths. */
  async finish(): Promise<string[]> {
    return this.lock.exclusive(async () => {
      if (this.failure !== null) throw this.archiveFailed(this.failure);
      const open = this.current ?? (await this.firstPart());
      await this.closePart(open);
      this.closed = true;
      for (const partial of this.partials) await rename(partial, partial.slice(0, -'.partial'.length));
      return this.paths;
    });
  }

  /**
   * Stops writing and removes every partial part; no file is left that looks like an archive.
   * Waits for the file workers' writes into the file first: its descriptor, once closed, may be
   * reused for another file.
   */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lock.sharedSettled();
    await this.opening?.catch(() => undefined);
    const open = this.current;
    this.current = null;
    if (open !== null) {
      await open.sink.destroy();
      await open.writer.dispose();
    }
    await Promise.all(this.partials.map((partial) => rm(partial, { force: true })));
  }

  /** The open part, after starting a new one if this entry would push a split part past its size. */
  private async partFor(name: string, estimate: number): Promise<OpenPart> {
    if (this.closed) throw new ExportError(`Cannot add ${name}: the archive is already closed`, { code: ErrorCode.ARCHIVE_FAILED, fileName: name });
    if (this.failure !== null) throw this.failure;
    const nameBytes = Buffer.byteLength(name);
    let open = this.current ?? (await this.firstPart());
    const limit = this.options.splitSize;
    const needed = ENTRY_OVERHEAD + 2 * nameBytes + estimate;
    if (limit !== undefined && open.writer.entries > 0 && open.writer.bytesWritten + open.directoryBytes + needed + END_OVERHEAD > limit) {
      await this.closePart(open);
      open = await this.openPart(open.index + 1);
    }
    open.directoryBytes += 46 + 28 + nameBytes;
    return open;
  }

  private firstPart(): Promise<OpenPart> {
    this.opening ??= this.openPart(1);
    return this.opening;
  }

  /**
   * The part's output: the file itself when the file workers write into it (`sharedFile`), else a
   * stream, which only this thread writes.
   */
  private async openPart(index: number): Promise<OpenPart> {
    const { destination, workDirectory } = this.options;
    let partial: string | null = null;
    let file: ZipFileSink | null = null;
    let sink: ZipSink;
    if (this.sharedFile !== null) {
      partial = `${this.sharedFile}.partial`;
      sink = file = await ZipFileSink.create(partial);
    } else if (typeof destination !== 'string') {
      sink = new ZipStreamSink(destination);
    } else {
      partial = `${destination.replace(/(\.zip)?$/i, `.part${String(index).padStart(3, '0')}.zip`)}.partial`;
      sink = new ZipStreamSink(createWriteStream(partial, { flags: 'wx', highWaterMark: WRITE_BUFFER }));
    }
    if (partial !== null) this.partials.push(partial);
    const writer = new ZipWriter(sink, join(workDirectory, `zip-directory-${index}.jsonl`));
    this.current = { index, writer, sink, file, partial, directoryBytes: 0 };
    return this.current;
  }

  private async closePart(open: OpenPart): Promise<void> {
    try {
      await open.writer.finish();
      await open.sink.end();
    } catch (error) {
      throw this.archiveFailed(error, open);
    }
    this.current = null;
  }

  private archiveFailed(error: unknown, open = this.current): ExportError {
    const file = open?.partial ?? undefined;
    return new ExportError(`Could not write the archive ${file ?? 'stream'}: ${messageOf(error)}`, { code: ErrorCode.ARCHIVE_FAILED, fileName: file, cause: error });
  }

  private partName(part: OpenPart): string | null {
    if (this.options.splitSize === undefined || part.partial === null) return null;
    return basename(part.partial.slice(0, -'.partial'.length));
  }
}

/**
 * The file's bytes in chunks of two buffers used in turn: a chunk is valid until the one after
 * next is asked for (what ZipWriter's writeDeflated needs). A read stream's new buffer per chunk
 * is garbage off V8's heap that no collection hurries away: streaming the 27 MB manifest of a
 * 100k-item export into its zip that way added about 30 MB to the export's peak RSS, at its end.
 */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buffers = [Buffer.allocUnsafeSlow(FILE_CHUNK), Buffer.allocUnsafeSlow(FILE_CHUNK)];
    for (let turn = 0; ; turn ^= 1) {
      const buffer = buffers[turn]!;
      const { bytesRead } = await file.read(buffer, 0, FILE_CHUNK, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

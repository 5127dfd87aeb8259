import { once } from 'node:events';
import { createDeflateRaw, crc32 } from 'node:zlib';
import { ByteSpool } from '../output/byte-spool.js';
import { centralHeader, dataDescriptor, DEFLATE, dosDateTime, endRecords, localHeader, STORE, type CentralEntry } from './zip-format.js';

/** Streamed entries expected below this size get a classic descriptor; deflate may grow data a little. */
const ZIP64_STREAM_THRESHOLD = 0xf0000000;

/**
 * zlib's output buffer for a streamed entry. Each one filled is a trip back to this thread before
 * zlib goes on; with the default 16 KB those trips waited behind the export's last work.
 */
const DEFLATED_CHUNK = 256 * 1024;

/** A buffer entry, already compressed (or stored) by the caller. */
export interface PreparedEntry {
  name: string;
  method: number;
  crc: number;
  size: number;
  data: Uint8Array;
}

/** Where a zip's bytes go, one write after another (ZipStreamSink, ZipFileSink). */
export interface ZipSink {
  /** Bytes written so far: where the next write lands. */
  readonly length: number;
  write(bytes: Uint8Array): Promise<void>;
  /** Completes the output once everything is written. */
  end(): Promise<void>;
  /** Gives the output up unfinished. */
  destroy(): Promise<void>;
}

/**
 * Writes one zip file to a sink, one entry at a time. The central directory's headers are made as
 * entries are recorded and kept in a ByteSpool (on disk past 1 MiB), copied out in `finish`, so
 * memory does not grow with the number of entries. Callers must not start an entry before the
 * previous one resolved, nor write to the sink meanwhile; entries others wrote into the sink are
 * `record`ed.
 */
export class ZipWriter {
  private count = 0;
  private readonly directory: ByteSpool;
  private readonly stamp: { time: number; date: number };

  constructor(
    private readonly sink: ZipSink,
    directorySpoolPath: string,
    time = new Date(),
  ) {
    this.directory = new ByteSpool(directorySpoolPath);
    this.stamp = dosDateTime(time);
  }

  /** Bytes written so far: where the next entry would start. */
  get bytesWritten(): number {
    return this.sink.length;
  }

  get entries(): number {
    return this.count;
  }

  async addPrepared(entry: PreparedEntry): Promise<void> {
    const offset = this.sink.length;
    const sizes = { crc: entry.crc, compressedSize: entry.data.byteLength, size: entry.size };
    await this.sink.write(localHeader(entry.name, entry.method, this.stamp, sizes, false));
    await this.sink.write(entry.data);
    this.record({ name: entry.name, method: entry.method, ...sizes, offset, streamed: false });
  }

  /** The local header of an entry someone else packs and writes: method, CRC and sizes are theirs to fill in. */
  headerTemplate(name: string): Buffer {
    return localHeader(name, STORE, this.stamp, { crc: 0, compressedSize: 0, size: 0 }, false);
  }

  /**
   * Streams an entry whose CRC and sizes are known only at its end. `expectedSize` (when known)
   * lets entries well under 4 GiB keep a classic descriptor; otherwise it is ZIP64.
   */
  async addStream(name: string, chunks: AsyncIterable<Uint8Array>, method: number, level: number, expectedSize?: number): Promise<{ size: number; crc: number }> {
    const zip64 = expectedSize === undefined || expectedSize >= ZIP64_STREAM_THRESHOLD;
    const offset = this.sink.length;
    await this.sink.write(localHeader(name, method, this.stamp, null, zip64));
    let crc = 0;
    let size = 0;
    async function* measured(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks) {
        crc = crc32(chunk, crc);
        size += chunk.byteLength;
        yield chunk;
      }
    }
    const dataStart = this.sink.length;
    if (method === DEFLATE) await this.writeDeflated(measured(), level);
    else for await (const chunk of measured()) await this.sink.write(chunk);
    const compressedSize = this.sink.length - dataStart;
    await this.sink.write(dataDescriptor(crc, compressedSize, size, zip64));
    this.record({ name, method, crc, compressedSize, size, offset, streamed: true });
    return { size, crc };
  }

  /**
   * Deflates `chunks` into the sink, zlib working on one chunk (off this thread) while the next
   * is fetched; a chunk's buffer is left alone once the chunk after it has been fetched, so a
   * source may hand its chunks in two buffers used in turn.
   */
  private async writeDeflated(chunks: AsyncIterable<Uint8Array>, level: number): Promise<void> {
    const deflate = createDeflateRaw({ level, chunkSize: DEFLATED_CHUNK });
    const output: Buffer[] = [];
    deflate.on('data', (bytes: Buffer) => output.push(bytes));
    const ended = once(deflate, 'end');
    // Whichever step awaits next sees the error; this keeps an early one from going unhandled.
    ended.catch(() => undefined);
    const writeOutput = async (): Promise<void> => {
      for (let bytes = output.shift(); bytes !== undefined; bytes = output.shift()) await this.sink.write(bytes);
    };
    let taken: Promise<void> = Promise.resolve();
    try {
      for await (const chunk of chunks) {
        await taken;
        await writeOutput();
        taken = new Promise<void>((resolve, reject) => deflate.write(chunk, (error) => (error ? reject(error) : resolve())));
        // Seen at the next await, however long the next chunk takes to come.
        taken.catch(() => undefined);
      }
      await taken;
      deflate.end();
      await ended;
      await writeOutput();
    } finally {
      deflate.destroy();
    }
  }

  /** Writes the central directory and the end records; the caller ends the sink. */
  async finish(): Promise<void> {
    const directoryOffset = this.sink.length;
    for await (const chunk of this.directory.chunks()) await this.sink.write(chunk);
    await this.sink.write(endRecords(this.count, this.sink.length - directoryOffset, directoryOffset));
    await this.directory.dispose();
  }

  /** Drops the directory spool; the caller removes whatever the sink wrote to. */
  async dispose(): Promise<void> {
    await this.directory.dispose();
  }

  /** Adds an entry to the central directory: one written here, or by others into the sink. */
  record(entry: CentralEntry): void {
    this.directory.append(centralHeader(entry, this.stamp));
    this.count += 1;
  }
}

import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDeflateRaw, crc32 } from 'node:zlib';
import { Spool } from '../output/spool.js';
import { centralHeader, dataDescriptor, DEFLATE, dosDateTime, endRecords, localHeader, type CentralEntry } from './zip-format.js';

/** Streamed entries expected below this size get a classic descriptor; deflate may grow data a little. */
const ZIP64_STREAM_THRESHOLD = 0xf0000000;
/** Central directory headers are written in batches of about this many bytes. */
const DIRECTORY_BATCH = 64 * 1024;

/** A buffer entry, already compressed (or stored) by the caller. */
export interface PreparedEntry {
  name: string;
  method: number;
  crc: number;
  size: number;
  data: Uint8Array;
}

/**
 * Writes one zip file to a stream, one entry at a time, honouring the stream's backpressure.
 * The central directory is kept in a Spool (on disk past a few thousand entries) and streamed
 * out in `finish`, so memory does not grow with the number of entries.
 * Callers must not start an entry before the previous one resolved.
 */
export class ZipWriter {
  private offset = 0;
  private count = 0;
  private failure: Error | null = null;
  private readonly directory: Spool<CentralEntry>;
  private readonly stamp: { time: number; date: number };

  constructor(
    private readonly target: Writable,
    directorySpoolPath: string,
    time = new Date(),
  ) {
    this.directory = new Spool<CentralEntry>(directorySpoolPath);
    this.stamp = dosDateTime(time);
    target.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  /** Bytes written so far: where the next entry would start. */
  get bytesWritten(): number {
    return this.offset;
  }

  get entries(): number {
    return this.count;
  }

  async addPrepared(entry: PreparedEntry): Promise<void> {
    const name = Buffer.from(entry.name, 'utf8');
    const offset = this.offset;
    const sizes = { crc: entry.crc, compressedSize: entry.data.byteLength, size: entry.size };
    await this.write(localHeader(name, entry.method, this.stamp, sizes, false));
    await this.write(entry.data);
    this.note({ name: entry.name, method: entry.method, ...sizes, offset, streamed: false });
  }

  /**
   * Streams an entry whose CRC and sizes are known only at its end. `expectedSize` (when known)
   * lets entries well under 4 GiB keep a classic descriptor; otherwise it is ZIP64.
   */
  async addStream(name: string, chunks: AsyncIterable<Uint8Array>, method: number, level: number, expectedSize?: number): Promise<{ size: number; crc: number }> {
    const nameBytes = Buffer.from(name, 'utf8');
    const zip64 = expectedSize === undefined || expectedSize >= ZIP64_STREAM_THRESHOLD;
    const offset = this.offset;
    await this.write(localHeader(nameBytes, method, this.stamp, null, zip64));
    let crc = 0;
    let size = 0;
    async function* measured(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks) {
        crc = crc32(chunk, crc);
        size += chunk.byteLength;
        yield chunk;
      }
    }
    const dataStart = this.offset;
    const sink = async (source: AsyncIterable<Uint8Array>): Promise<void> => {
      for await (const chunk of source) await this.write(chunk);
    };
    if (method === DEFLATE) await pipeline(measured(), createDeflateRaw({ level }), sink);
    else await sink(measured());
    const compressedSize = this.offset - dataStart;
    await this.write(dataDescriptor(crc, compressedSize, size, zip64));
    this.note({ name, method, crc, compressedSize, size, offset, streamed: true });
    return { size, crc };
  }

  /** Writes the central directory and the end records; the caller ends the stream. */
  async finish(): Promise<void> {
    const directoryOffset = this.offset;
    let batch: Buffer[] = [];
    let batched = 0;
    for await (const entry of this.directory.values()) {
      const header = centralHeader(entry, this.stamp);
      batch.push(header);
      batched += header.length;
      if (batched >= DIRECTORY_BATCH) {
        await this.write(Buffer.concat(batch));
        batch = [];
        batched = 0;
      }
    }
    if (batch.length > 0) await this.write(Buffer.concat(batch));
    await this.write(endRecords(this.count, this.offset - directoryOffset, directoryOffset));
    await this.directory.dispose();
  }

  /** Drops the directory spool; the caller removes whatever the target wrote to. */
  async dispose(): Promise<void> {
    await this.directory.dispose();
  }

  private note(entry: CentralEntry): void {
    this.directory.append(entry);
    this.count += 1;
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (this.failure !== null) throw this.failure;
    this.offset += bytes.byteLength;
    if (!this.target.write(bytes)) await this.drained();
  }

  /**
   * Waits for 'drain', or rejects with the stream's error, or when it is closed (destroyed) first.
   * Plain listeners: `events.once` with an AbortSignal made an AbortError, stack and all, for
   * each of the two losers of every wait.
   */
  private drained(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const target = this.target;
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        target.off('drain', onDrain).off('error', onError).off('close', onClose);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onDrain = (): void => settle();
      const onError = (error: Error): void => settle(error);
      const onClose = (): void => settle(new Error('the archive stream was closed before the archive was complete'));
      target.once('drain', onDrain).once('error', onError).once('close', onClose);
    });
  }
}

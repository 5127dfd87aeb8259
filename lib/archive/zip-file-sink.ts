import { open, type FileHandle } from 'node:fs/promises';
import type { ArchiveSlot } from '../output/fs-worker-pool.js';
import type { ZipSink } from './zip-writer.js';

/**
 * A zip written into a file at positions, by this thread and by the file workers alike: a writer
 * reserves its bytes by growing the file's shared length atomically, then writes them there. So
 * the workers write the entries they pack, and those bytes never travel to this thread.
 * Entries the workers write may land in any order; the central directory says where each is.
 */
export class ZipFileSink implements ZipSink {
  /** [0]: the file's length so far, reserved by every writer; [1]: 1 once any write failed. */
  private readonly shared = new BigInt64Array(new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT));

  private constructor(private readonly file: FileHandle) {}

  /** Creates the file, which must not exist yet. */
  static async create(path: string): Promise<ZipFileSink> {
    return new ZipFileSink(await open(path, 'wx'));
  }

  get length(): number {
    return Number(Atomics.load(this.shared, 0));
  }

  /** Whether a write (here or in a file worker) failed: the file has a hole and must not be finished. */
  get failed(): boolean {
    return Atomics.load(this.shared, 1) !== 0n;
  }

  /** Where a file worker writes an entry under this local header (its fields filled in there). */
  slot(header: Uint8Array): ArchiveSlot {
    return { fd: this.file.fd, shared: this.shared, header };
  }

  async write(bytes: Uint8Array): Promise<void> {
    const position = Number(Atomics.add(this.shared, 0, BigInt(bytes.byteLength)));
    try {
      for (let done = 0; done < bytes.byteLength; ) {
        const { bytesWritten } = await this.file.write(bytes, done, bytes.byteLength - done, position + done);
        done += bytesWritten;
      }
    } catch (error) {
      Atomics.store(this.shared, 1, 1n);
      throw error;
    }
  }

  /** Closes the file. No file worker may still be writing an entry into it (its descriptor could be reused). */
  end(): Promise<void> {
    return this.file.close();
  }

  destroy(): Promise<void> {
    return this.file.close().catch(() => undefined);
  }
}

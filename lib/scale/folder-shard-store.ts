import { createReadStream } from 'node:fs';
import { copyFile, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { placeExportFiles } from '../output/place-export-files.js';
import type { FolderShardTarget } from './shard-plan.js';
import type { ShardStore } from './shard-store.js';
import { makeDirectory } from '../make-directory.js';

/** Files copied at once into the shared folder. */
const COPY_CONCURRENCY = 16;

/**
 * A sharded export's folder on a file system every worker mounts at the same path (NFS, a
 * shared disk, or one machine's disk for local workers). Each file is copied to a temporary name
 * and renamed, so a reader never sees half a file and a shard run twice leaves one copy.
 */
export class FolderShardStore implements ShardStore {
  constructor(readonly target: FolderShardTarget) {}

  get uri(): string {
    return this.target.path;
  }

  private pathOf(relative: string): string {
    return relative === '' ? this.target.path : join(this.target.path, ...relative.split('/'));
  }

  async getJson<T>(relative: string): Promise<T | undefined> {
    const text = await readFile(this.pathOf(relative), 'utf8').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.failure(`Cannot read ${this.pathOf(relative)}`, error);
    });
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async putJson(relative: string, value: unknown): Promise<void> {
    await this.place(this.pathOf(relative), (temporary) => writeFile(temporary, JSON.stringify(value)));
  }

  async read(relative: string): Promise<AsyncIterable<Uint8Array>> {
    return createReadStream(this.pathOf(relative), { highWaterMark: 1 << 20 });
  }

  async exists(relative: string): Promise<boolean> {
    return stat(this.pathOf(relative)).then(
      () => true,
      () => false,
    );
  }

  async upload(directory: string, relative = ''): Promise<void> {
    const target = (file: string): string => this.pathOf(relative === '' ? file : `${relative}/${file}`);
    const copy = (file: string): Promise<void> => this.place(target(file), (temporary) => copyFile(join(directory, file), temporary), false);
    await makeDirectory(this.pathOf(relative));
    // Each folder made once, before its files: a mkdir per file would cost more than the copies.
    await placeExportFiles(directory, COPY_CONCURRENCY, copy, (folder) => makeDirectory(target(folder)));
  }

  async deleteFolder(relative: string): Promise<void> {
    await rm(this.pathOf(relative), { recursive: true, force: true });
  }

  async isEmpty(): Promise<boolean> {
    const entries = await readdir(this.target.path).catch(() => []);
    return entries.length === 0;
  }

  destroy(): void {}

  /** Writes through a temporary name beside the target, then renames it into place. */
  private async place(path: string, write: (temporary: string) => Promise<void>, makeFolder = true): Promise<void> {
    const temporary = `${path}.${process.pid}.partial`;
    try {
      if (makeFolder) await makeDirectory(dirname(path));
      await write(temporary);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw this.failure(`Cannot write ${path}`, error);
    }
  }

  private failure(message: string, cause: unknown): ExportError {
    return new ExportError(`${message}: ${messageOf(cause)}`, { code: ErrorCode.OUTPUT_UNWRITABLE, cause });
  }
}

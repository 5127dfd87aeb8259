import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipArchive } from '../archive/zip-archive.js';
import { ErrorCode, ExportError } from '../errors.js';
import { MANIFEST_FILE, type Manifest } from '../output/manifest.js';
import type { ShardStore } from './shard-store.js';

export interface ShardedArchiveOptions {
  /** Deflate level for compressible files, 0 (store all) to 9; media are always stored. Default 3 (`DEFAULT_ZIP_LEVEL`). */
  level?: number;
  /** Split into `<name>.part001.zip`… of at most this many bytes, each a zip by itself. */
  splitSize?: number;
}

/**
 * The archive step of a sharded export: once the fan-in has written the manifest, streams every
 * file it lists from the store, one at a time, into a (split) zip at `destination`
 * (`<export folder>.zip`), the manifest last, and checks each file's sha256 against the manifest
 * on the way. Nothing carries the final name unless every file went in.
 */
export async function archiveShardedExport(store: ShardStore, destination: string, options: ShardedArchiveOptions = {}): Promise<string[]> {
  const manifest = await store.getJson<Manifest>(MANIFEST_FILE);
  if (manifest === undefined) throw new ExportError(`${store.uri} has no ${MANIFEST_FILE}: the export is not finished, so it cannot be archived`, { code: ErrorCode.SHARD_FAILED });
  const workDirectory = await mkdtemp(join(tmpdir(), 'synapse-export-archive-'));
  const archive = new ZipArchive({ destination, workDirectory, ...options });
  try {
    for (const file of manifest.files) {
      const entry = await archive.addStream(file.path, await store.read(file.path), file.size);
      if (entry.sha256 !== file.sha256) {
        throw new ExportError(`${store.uri}/${file.path} does not match the manifest (sha256 ${entry.sha256}, listed ${file.sha256}): not archived`, { code: ErrorCode.SHARD_FAILED, fileName: file.path });
      }
    }
    await archive.addStream(MANIFEST_FILE, await store.read(MANIFEST_FILE));
    return await archive.finish();
  } catch (error) {
    await archive.abort();
    throw error;
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }
}

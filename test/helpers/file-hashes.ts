import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFiles } from './temp-dir.js';

/** sha256 of every file under `root`, by `/`-separated relative path. */
export async function fileHashes(root: string, options: { except?: string[] } = {}): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const file of await listFiles(root)) {
    if (options.except?.includes(file)) continue;
    hashes.set(file, createHash('sha256').update(await readFile(join(root, file))).digest('hex'));
  }
  return hashes;
}

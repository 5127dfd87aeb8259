import { eachLimited } from '../pipeline/each-limited.js';
import { walkTree } from '../walk-tree.js';
import { MANIFEST_FILE } from './manifest.js';

/**
 * Hands every file of the export folder `root` (relative, `/`-separated) to `place`, a few at a
 * time as the folder walk finds them, and `export_manifest.json` last, once every other file is
 * placed: whoever sees the manifest sees a complete export. `folder` is called for each folder
 * before its files.
 */
export async function placeExportFiles(
  root: string,
  concurrency: number,
  place: (file: string) => Promise<void>,
  folder?: (path: string) => Promise<void>,
): Promise<void> {
  let manifest = false;
  async function* files(): AsyncGenerator<string> {
    for await (const entry of walkTree(root)) {
      if (entry.directory) await folder?.(entry.path);
      else if (entry.path === MANIFEST_FILE) manifest = true;
      else yield entry.path;
    }
  }
  await eachLimited(files(), concurrency, place);
  if (manifest) await place(MANIFEST_FILE);
}

import { opendir } from 'node:fs/promises';
import { join } from 'node:path';

/** An entry under the walked folder. */
export interface TreeEntry {
  /** Relative to the walked folder, `/`-separated. */
  path: string;
  /** The entry's own path (the walked folder joined with `path`). */
  absolute: string;
  directory: boolean;
}

/**
 * Every entry under `root` (files, folders, links), each folder's entries before its subfolders',
 * read one directory entry at a time: flat memory for folders of millions of files. Folders for
 * which `skip(path)` is true are neither yielded nor entered. Node 20's `opendir(root,
 * { recursive: true })` stops after the first 32 entries of every subfolder, so it cannot serve.
 */
export async function* walkTree(root: string, skip: (path: string) => boolean = () => false): AsyncGenerator<TreeEntry> {
  const pending: string[] = [''];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    for await (const entry of await opendir(join(root, folder))) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      const directory = entry.isDirectory();
      if (directory && skip(path)) continue;
      if (directory) pending.push(path);
      yield { path, absolute: join(root, path), directory };
    }
  }
}

import { opendir, rename, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What a rename onto an existing folder fails with: not empty (Linux, macOS) or exists (Windows). */
const FOLDER_IN_THE_WAY = new Set(['ENOTEMPTY', 'EEXIST', 'EPERM', 'EISDIR']);

/**
 * Moves every entry of the folder `from` into the folder `to`, then removes `from`. One rename
 * per entry; a folder that exists on both sides is merged entry by entry, and a file replaces the
 * file of its name. Entries are read one at a time, so a folder of millions of files is moved in
 * flat memory.
 */
export async function moveInto(from: string, to: string): Promise<void> {
  for await (const entry of await opendir(from)) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    try {
      await rename(source, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!entry.isDirectory() || code === undefined || !FOLDER_IN_THE_WAY.has(code) || !(await isFolder(target))) throw error;
      await moveInto(source, target);
    }
  }
  await rmdir(from);
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
